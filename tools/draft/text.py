"""The request as text: a lower-cased view with the same offsets, clauses, spans and leftovers.

Every extractor reports the character spans it used, so the drafter can tell which words
of a request it understood and which it did not (an honest confidence, and declines for
conditions it cannot express).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words that carry no policy meaning of their own: articles, auxiliaries, directive verbs,
# and the generic Kubernetes nouns every request uses. Anything else left unexplained
# counts against the drafter's confidence.
FILLER = frozenset(
    """
    a an the this that these those it its it's they them their there our my we i you your us me
    is are be been being was were am do does did done have has had having will would should shall
    can could may might must need needs needed want wants wanted like please make sure ensure
    let lets let's just also too as well so such and or nor but if to of in on at by for from with
    without into onto within per via any all every each some no not never none only other than
    what which who whose whom where when how why new existing already always ever else again
    deny denies denied denying block blocks blocked blocking forbid forbids forbidden forbidding
    disallow disallows disallowed disallowing reject rejects rejected rejecting prevent prevents
    prevented stop stops refuse refuses ban bans banned prohibit prohibits prohibited restrict
    restricts restricted restricting limit limits require requires required requiring enforce
    enforces enforced enforcing mandate mandatory enforcement policy policies rule rules
    constraint constraints admission admit admits admitted gatekeeper opa rego conftest template
    check checks validate validation allow allows allowed allowing permit permits permitted
    accept accepts accepted okay ok fine use uses used using run runs running ran set sets
    setting settings specify specifies specified define defines defined declare declares
    declared configure configured have contain contains containing include includes including
    included get gets create creates created creating deploy deploys deployed deploying
    apply applies applied applying request requests requested ask asked cluster clusters
    kubernetes k8s kube manifest manifests object objects resource resources kind kinds
    field fields spec specs pod pods container containers workload workloads app apps
    application applications deployment deployments statefulset statefulsets daemonset
    daemonsets replicaset replicasets job jobs cronjob cronjobs replicationcontroller
    replicationcontrollers image images sidecar sidecars init initcontainer initcontainers
    ephemeral debug one thing things anything anyone anybody nobody nothing someone somebody
    team teams people user users developer developers engineer engineers us everyone
    should've shouldn't mustn't can't cannot don't doesn't won't isn't aren't
    true false yes value values enabled disabled enable disable turn turned on off
    namespace namespaces ns explicitly explicit actually really please thanks thank
    want i'd we'd i'm we're it'll that's there's here
    service services ingress ingresses role roles rolebinding rolebindings clusterrole clusterroles
    clusterrolebinding clusterrolebindings rbac pdb pdbs serviceaccount serviceaccounts configmap configmaps
    profile profiles type types safe unsafe baseline restricted custom windows linux disruption disruptions
    least most bound add added adding adds dangerous security secure context securitycontext pss psa
    standard standards cis best practice practices mode access level list lists allowlist whitelist
    hardening hardened harden production prod staging dev environment environments default defaults
    option options flag flags enabled setting mandatory wherever anywhere everywhere anything ever
    through across inside outside within under cannot either both same whole entire nothing
    because since order avoid keep kept give gives given get got able possible allowed
    make makes making sure certain important critical good bad proper properly correct correctly
    something somewhere stuff thing things way ways kind sort type reason reasons case cases
    except about regarding concerning related ha high availability available carry carries carrying
    bear bears terminate terminates serve serves expose exposes exposed per every one ones back
    grant grants granted automatically manually explicitly mount mounts mounting mounted
    write writes generate draft build give help could would keep getting bitten folks says said say
    become becomes tries try trying attempt attempts referenced reference references nowhere now
    deprecated legacy old insecure untrusted requesting public anymore already currently today
    lot lots many much really simply basically registry registries repository repositories repo repos
    ci cd pipeline pipelines rolling roll rollout out gradually step steps first second next control controls
    phase start starting node nodes compulsory optional force forced forcing single every up join joins joining
    count counts more alike either case any instead plus impossible possible hold holds held
    host hosts hostname hostnames incident incidents outage cloud accident accidentally cap logs files
    especially particularly hijack hijacks hijacking hijacked traffic tune tunes tuning tuned
    land lands landing landed
    ship ships shipped shipping
    filling fill fills disk disks binaries upgrades upgrade autoscaler overly strict port ports approved
    """.split()
)

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9_.'/:*-]*[a-z0-9*]|[a-z0-9]")

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "single": 1,
    "a single": 1,
}
NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"

# A clause boundary: punctuation, or a conjunction that starts a new directive
# ("... and forbid latest tags", "..., also require limits").
_DIRECTIVE = (
    r"(?:deny|denies|block|blocks|forbid|forbids|disallow|disallows|reject|rejects|prevent|"
    r"prohibit|ban|require|requires|enforce|enforces|ensure|make sure|no|never|nothing|"
    r"only|must|every|all|each|containers|pods|images|limit|restrict|drop|warn|stop|refuse|"
    r"mandate|set|need|needs|disable|don't|do not)"
)
_CLAUSE_SPLIT = re.compile(
    r"[;!?]\s*|\.\s+|\n+|,?\s+(?:and also|and|also|but also|plus|as well as)\s+(?=" + _DIRECTIVE + r"\b)"
    r"|,\s+(?=" + _DIRECTIVE + r"\b)"
)

Span = tuple[int, int]

# Reasons people give ("... so nodes re-check credentials", "because rollbacks break") explain a
# request; their words are not conditions the policy has to check.
# A Kubernetes field path ("spec.containers[*].ports[*].hostPort") names what the rule checks.
_FIELD_PATH = re.compile(r"[a-z]+(?:\[[^\]]*\])?\.[a-z.\[\]*]+")
# "even rootless build containers": what follows "even" widens a rule that already covers
# everything, so its words need no checking ("even if ..." is a condition and stays one).
_EVEN = re.compile(r"\beven\s+(?!if\b|when\b|though\b|unless\b)[^,;.!?]+")
# "I keep finding debug pods in default": the story behind a request, not a rule.
_STORY = re.compile(r"\b(?:i|we)\s+keep\s+(?:finding|seeing|getting|running\s+into|hitting)\b[^;.!?]*")
# "Last quarter a compromised pod ...", "During the last upgrade ...": a sentence that opens in
# the past tells what happened; "Hey," greets. Neither asks the policy for anything.
_SENTENCE_START = r"(?:^|(?<=[.!?]\s))"
_NARRATIVE = re.compile(
    _SENTENCE_START
    + r"(?:last\s+(?:quarter|month|week|year|night|sprint|time)|during\s+(?:the\s+|our\s+)?last|"
    r"yesterday|a\s+(?:few\s+)?(?:days|weeks|months)\s+ago)\b[^.!?]*"
    r"|" + _SENTENCE_START + r"(?:hey|hi|hello)\b(?:\s+(?:team|folks|all|there))?[,!]?"
    r"|\b(?:we|i)\s+keep\s+having\b[^;.!?]*"
    # "Platform rule: ..." labels the request; "... namespace where our shared gateway lives." says what is there.
    r"|"
    + _SENTENCE_START
    + r"(?:platform|team|security|company|cluster)\s+(?:rule|policy|requirement|ask)\s*:"
    r"|\bwhere\s+(?:our|the|their|its)\s+(?:[\w-]+\s+){0,3}?(?:lives?|sits?|resides?)(?=\s*(?:$|[.;,!?]))"
    # "9100 (node-exporter)": a name in brackets after a number says what the number is for.
    r"|(?<=\d)\s*\([a-z][\w.-]*(?:\s+[\w.-]+)?\)"
    r"|\bas\s+far\s+as\s+(?:i'm|i\s+am|we're|we\s+are)\s+concerned\b|\bif\s+you\s+ask\s+me\b"
    # "... from registry.k8s.io/pause, which is tiny anyway": an aside about what was just named.
    r"|\bwhich\s+(?:is|are)\s+(?:\w+\s+){0,3}?anyway\b"
)
_EXAMPLE = re.compile(
    r"\b(?:like|such\s+as|e\.g\.?|for\s+example|for\s+instance)\s+[^\s,;]+(?:\s+or\s+[^\s,;]+)?"
)
_RATIONALE = re.compile(
    r"\b(?:so\s+that|so(?=\s+\w+\s+\w+)|because|since|in\s+order\s+to|otherwise|as\s+(?:it|they|that)\s+\w+|"
    r"to\s+(?:avoid|prevent|reduce|keep|stop|protect|limit\s+the\s+blast|make\s+(?:sure|it)|ensure)|"
    r"which\s+(?:would|could|can|might|breaks?|causes?))\b"
)


def number_value(token: str) -> float:
    """'3' -> 3.0, 'three' -> 3.0 (ValueError for anything else)."""
    token = token.strip().lower()
    if token in NUMBER_WORDS:
        return float(NUMBER_WORDS[token])
    return float(token)


@dataclass
class Clause:
    """One directive of a request: its text and where it sits."""

    start: int
    end: int
    raw: str
    low: str


@dataclass
class Text:
    """The request: `raw` as typed, `low` lower-cased with the same offsets, spans used so far."""

    raw: str
    low: str = ""
    used: list[Span] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Typographic quotes and dashes become ASCII ones; each stays one character so
        # offsets in `low` are offsets in `raw`.
        table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})
        self.raw = self.raw.translate(table)
        self.low = self.raw.lower()

    def use(self, start: int, end: int) -> None:
        """Marks raw[start:end] as understood."""
        if end > start:
            self.used.append((start, end))

    def is_used(self, start: int, end: int) -> bool:
        """True when the span overlaps a span already understood."""
        return any(start < u_end and u_start < end for u_start, u_end in self.used)

    def clauses(self) -> list[Clause]:
        """The request split into directives, each with its offsets."""
        out: list[Clause] = []
        pos = 0
        for match in _CLAUSE_SPLIT.finditer(self.low):
            if match.start() > pos:
                out.append(
                    Clause(pos, match.start(), self.raw[pos : match.start()], self.low[pos : match.start()])
                )
            pos = match.end()
        if pos < len(self.low):
            out.append(Clause(pos, len(self.low), self.raw[pos:], self.low[pos:]))
        return [c for c in out if c.low.strip()]

    def clause_at(self, offset: int) -> Clause:
        """The clause that holds `offset` (the whole text when it is in none)."""
        for clause in self.clauses():
            if clause.start <= offset < clause.end:
                return clause
        return Clause(0, len(self.raw), self.raw, self.low)

    def rationale_spans(self) -> list[Span]:
        """Where the request gives reasons or examples: "because ...", "so that ...", "like *.example.com"."""
        spans = []
        for pattern in (_EXAMPLE, _EVEN, _STORY, _NARRATIVE):
            for match in pattern.finditer(self.low):
                spans.append((match.start(), match.end()))
        for match in _RATIONALE.finditer(self.low):
            end = re.search(r"[.;!?](?:\s|$)|$", self.low[match.end() :])
            spans.append((match.start(), match.end() + (end.start() if end else 0)))
        return spans

    def leftover_words(self) -> list[str]:
        """Content words no extractor used, not filler and not part of a stated reason."""
        words = []
        reasons = self.rationale_spans()
        for match in _WORD_RE.finditer(self.low):
            if any(s <= match.start() < e for s, e in reasons) or _FIELD_PATH.match(match.group(0)):
                continue
            word = _bare(match.group(0))
            if self.is_used(match.start(), match.end()) or word in FILLER or _is_number(word):
                continue
            words.append(word)
        return words

    def content_words(self) -> list[str]:
        """Every non-filler word of the request."""
        return [
            _bare(m.group(0))
            for m in _WORD_RE.finditer(self.low)
            if _bare(m.group(0)) not in FILLER and not _is_number(m.group(0))
        ]


def _bare(word: str) -> str:
    """A word without quotes and possessive: "pod's" -> "pod"."""
    word = word.strip("'")
    return word[:-2] if word.endswith("'s") else word


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.\d+)?", word)) or word in NUMBER_WORDS


def dedupe(items: list[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
