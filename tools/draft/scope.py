"""Where a policy applies: namespace exemptions and restrictions, kinds, enforcement.

"except in kube-system", "but not in monitoring or logging", "outside kube-*" exempt
namespaces (constraint match.excludedNamespaces); "only in prod", "in the payments
namespace" restrict to namespaces (match.namespaces); "for Deployments only" narrows the
kinds; "just warn" / "dry run" set the enforcement action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.draft.names import KIND_WORDS
from tools.draft.text import FILLER, Text, dedupe

_NS = r"[a-z0-9*][a-z0-9*-]*"
# A namespace name is not followed by a dot, slash or port (that would be an image or host)
# nor by "image(s)" ("except nginx images" exempts images, not a namespace).
_NS_WORD = re.compile(
    r"\s*(?:the\s+)?[\"'`]?(" + _NS + r")(?![\w:/*-]|\.\w)[\"'`]?(?!\s+images?\b)(?:\s+namespaces?)?"
)
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+|nor\s+)?|\s+and\s+|\s+or\s+|\s+nor\s+|/)")
_END = re.compile(
    r"\s*(?:$|[,.;:!?)]|\b(?:and|or|nor|namespaces?|too|as\s+well|either|alone|out|excluded|exempt\w*)\b)"
)

_NAMED_LIST = re.compile(r"\s*(?:the\s+)?(" + _NS + r"(?:" + _JOIN.pattern + _NS + r")*)\s+namespaces?\b")
# "except in ci": an exemption whose name was read as an ordinary word must not vanish.
_UNREAD_EXEMPTION = re.compile(
    r"\b(?:(?:except|but\s+not|and\s+not)\s+(?:for\s+)?(?:in|within|inside)|outside(?:\s+of)?)\s+(?:the\s+)?"
    r"([a-z0-9][a-z0-9-]*)(?=\s*(?:$|[,.;!?]|(?:and|or)\b))"
)
_PRE = (
    r"(?:(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:ones|those|pods|containers|workloads|objects|things|agents|daemons|controllers|"
    r"operators|components)\s+(?:that\s+(?:are|run)\s+|running\s+|"
    r"deployed\s+|which\s+are\s+)?)?(?:(?:in|within|inside|on|from|for)\s+)?(?:the\s+|any\s+of\s+the\s+)?"
    r"(?:namespaces?\s+)?(?:called\s+|named\s+)?"
)
# "and not leaving it unset", "ignore the warning": these words exempt a namespace only when the
# text says it is one (see _names_a_namespace), unlike "except" or "outside".
_BUT_NOT = r"\b(?:but|and)\s+not\s+" + _PRE
_LEAVE = r"\b(?:leave|leaving|skip|skips|skipping|ignore|ignores|ignoring)\s+" + _PRE
_WEAK_TRIGGERS = {_BUT_NOT, _LEAVE}
# Namespaces every cluster has: named bare after "but not" they are still clearly namespaces.
WELL_KNOWN_NAMESPACES = {"kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "kube-*"}
_CLAUSE_END = re.compile(r"\s*(?:$|[,.;:!?)]|\b(?:too|as\s+well|either|alone|out)\b)")
EXCLUDE_TRIGGERS = [
    r"\b(?:allowed|permitted|ok|okay|fine|acceptable)\s+(?:only\s+)?(?:in|within|inside)\s+" + _PRE,
    r"\b(?:allow|permit)\w*\s+(?:it|them|this|that)\s+(?:only\s+)?(?:in|within)\s+" + _PRE,
    r"\bexcept\s+(?:for\s+)?" + _PRE,
    _BUT_NOT,
    r"\bnot\s+(?:in|within|for)\s+" + _PRE,
    r"\boutside\s+(?:of\s+)?" + _PRE,
    r"\bexclud(?:e|es|ed|ing)\s+" + _PRE,
    r"\bexempt(?:s|ed|ing)?\s+" + _PRE,
    r"\b(?:other\s+than|apart\s+from|besides|save\s+for)\s+" + _PRE,
    r"\bunless\s+(?:(?:it|they|the\s+\w+)\s+)?(?:is|are|'s|'re|lives?|runs?|sits?|resides?|exists?|running|deployed|"
    r"created)?\s*(?:(?:our|the|an?)\s+)?(?:[\w-]+\s+){0,3}?(?:in|to)\s+" + _PRE,
    _LEAVE,
    # "The only places this is legitimately needed are kube-system and cilium"
    r"\b(?:places|namespaces)\s+(?:where\s+)?(?:this|it|that|they)\s+(?:is|are)\s+(?:\w+\s+)?"
    r"(?:needed|required|necessary|allowed|used)\s+(?:are|is)\s+" + _PRE,
]
INCLUDE_TRIGGERS = [
    r"\bonly\s+(?:in|within|inside|for|on|to)\s+" + _PRE,
    r"\b(?:scoped?|limited|restricted|applies|apply|applied|applying)\s+(?:only\s+)?to\s+" + _PRE,
]
# "in the prod namespace", "in namespaces prod and staging": a plain "in" needs the word namespace.
_IN_NAMED = re.compile(
    r"\b(?:in|within|inside|for|to)\s+(?:the\s+)?(?:namespaces?\s+)("
    + _NS
    + r"(?:"
    + _JOIN.pattern
    + _NS
    + r")*)"
    r"|\b(?:in|within|inside|for|to)\s+(?:the\s+)?("
    + _NS
    + r"(?:"
    + _JOIN.pattern
    + _NS
    + r")*)\s+namespaces?\b"
)
# "in prod" without the word namespace: read as the namespace of that name, and said so in a note.
_IN_ENVIRONMENT = re.compile(
    r"\b(?:in|within|for)\s+(?:the\s+)?(prod|production|staging|stage|dev|development|test|testing|qa|sandbox)\b"
    r"(?!\s+(?:namespaces?|clusters?|environments?))"
)
_POSTFIX_EXEMPT = re.compile(
    r"\b(" + _NS + r")(?:\s+namespaces?)?\s+(?:is\s+|are\s+)?(?:excluded|exempt(?:ed)?)\b"
)
_BACK_REFERENCE = re.compile(
    r"\bleave\s+(?:those|these|them|both)(?:\s+(?:two|three|both))?(?:\s+namespaces)?\s+(?:alone|out(?:\s+of\s+it)?)\b"
)
# "... can still do whatever they like", "can keep pulling from wherever it wants": a namespace
# named as the subject of such a sentence is left alone.
_FREE_AFTER = re.compile(
    r"\s*(?:can|may|is\s+free\s+to|are\s+free\s+to)\s+(?:still\s+|keep\s+|continue\s+to\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:whatever|wherever|anything)\b(?:\s+(?:it|they)\s+(?:likes?|wants?|pleases?))?"
)
_FREE_SUBJECT = re.compile(
    r"(?:^|(?<=[.;!?]\s))(?:the\s+)?(" + _NS + r")(\s+namespaces?)?(?=" + _FREE_AFTER.pattern + ")"
)
_SYSTEM = re.compile(r"(?<!-)\b(?:kube(?:rnetes)?\s+)?system\s+namespaces\b|\bkube\s+namespaces\b")
_PREFIXED = re.compile(
    r"(?:\b(?:if|when|where|whenever|for|in)\s+(?:the\s+|a\s+|any\s+)?)?\bnamespaces?(?:'s)?\s+(?:whose\s+names?\s+|name\s+)?"
    r"(?:(?:starting|starts|beginning|begins|prefixed)\s+with\s+[\"'`]?([a-z0-9-]+)[\"'`]?"
    r"|(?:ending|ends|suffixed)\s+(?:with|in)\s+[\"'`]?([a-z0-9-]+)[\"'`]?)"
)
_EXCLUDING = re.compile(
    r"\b(?:except|outside|exclud\w*|exempt\w*|other\s+than|apart\s+from|not\s+in|skip\w*|ignor\w*|leave|unless|but\s+not)\b"
)

_WARN = re.compile(r"\bwarn(?:s|ing|ings)?\b|\bsoft[\s-]?fail\w*|\badvisory\b")
_DRYRUN = re.compile(
    r"\baudit(?:\s+only|\s+mode|ing)?\b(?!\s+(?:flagged|found|showed|revealed|finding|report|team))|\bdry[\s-]?run\b|\breport[\s-]?only\b|\bwithout\s+blocking\b|"
    r"\b(?:don'?t|do\s+not)\s+(?:actually\s+)?block(?:\s+(?:anything|anyone|it|them|yet|deploy\w*|workloads|pods))?"
    r"\s*(?:[,.;!]|$|yet\b|for\s+now\b|just\b)|\bmonitor(?:\s+only|\s+mode|ing\s+mode)\b|\blog\s+only\b|"
    r"\bjust\s+(?:report|log)\b"
)
_ENFORCE = re.compile(
    r"\benforc\w*\b|\bmake\s+it\s+(?:block\w*|deny)\b|\bhard[\s-]?fail\w*|\bturn\s+on\s+blocking\b"
)

_KIND_RE = re.compile(r"\b(" + "|".join(sorted(KIND_WORDS, key=len, reverse=True)) + r")(?:e?s)?\b")
# "only for Deployments", "just pods and jobs", "Deployments only": the request narrows the kinds.
_ONLY_BEFORE = re.compile(
    r"\b(?:only|just|exclusively|solely)\s+(?:(?:apply|applies|check|checks|enforce\w*)\s+)?(?:(?:to|for|on|in)\s+)?"
    r"(?:the\s+|bare\s+|plain\s+)?(?:(?:\w+(?:e?s)?)\s*(?:,|and|or)\s*)*$"
)
_ONLY_AFTER = re.compile(r"\s*(?:only|alone)\b")
# Words that can follow an exemption but never name a namespace.
# Words that name real namespaces often enough to be read as one after "except in" / "only in".
_NAMESPACE_LIKE = {"prod", "production", "staging", "dev", "default", "apps", "app", "security", "monitoring",
                   "test", "testing", "sandbox", "system", "team", "teams", "platform"}  # fmt: skip
_KIND_NAMES = {w + s for w in KIND_WORDS for s in ("", "s", "es")}
# Words that never name a namespace, even right before the word "namespace" ("their own namespace").
_GRAMMAR = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "my", "your", "his", "her",
            "every", "each", "any", "all", "same", "other", "own", "one", "which", "whose", "some", "no", "another",
            "new", "given", "specific", "certain", "separate", "dedicated", "different", "single", "right", "wrong",
            "two", "three", "four", "five", "both", "few", "several", "couple"}  # fmt: skip
_NOT_NS = (FILLER - _NAMESPACE_LIKE - _KIND_NAMES) | {"images", "image", "registry", "when", "where", "if", "unless", "because", "since",
                    "privileged", "host", "root", "labels", "label", "annotations", "limits", "tags", "under", "below",
                    "above", "ports", "port", "paths", "path", "group", "groups", "users", "subjects", "ones"}  # fmt: skip


@dataclass
class Scope:
    """Everything about where and how strictly the policy applies."""

    excluded: list[str] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    kind_offsets: list[tuple[str, int]] = field(default_factory=list)
    kinds_only: bool = False
    # Kinds that open a sentence as its subject ("DaemonSets run on every node, so ...",
    # "Jobs and CronJobs have to ..."): the requirement is theirs alone.
    subject_kinds: list[str] = field(default_factory=list)
    enforcement: str | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _ns_list(text: Text, start: int) -> tuple[list[str], int]:
    """Namespace names from `start`: 'kube-system, monitoring and logging namespaces' -> names, end offset."""
    listed = _NAMED_LIST.match(text.low, start)
    if listed and not text.is_used(listed.start(1), listed.end(1)):
        # "the logs and ci namespaces": the word "namespaces" makes every listed word a name.
        named = [n for n in re.split(_JOIN.pattern, listed.group(1)) if n and n not in _GRAMMAR]
        if named and not any(n in _KIND_NAMES for n in named):
            return named, listed.end()
    names: list[str] = []
    pos = start
    while True:
        match = _NS_WORD.match(text.low, pos)
        # A word people also use otherwise ("ci", "logs") is a namespace when "namespace" follows it.
        titled = match is not None and re.search(r"\bnamespaces?\s*$", match.group(0)) is not None
        if (
            not match
            or (match.group(1) in _NOT_NS and not (titled and match.group(1) not in _GRAMMAR))
            or match.group(1).isdigit()
            or match.group(1) in _GRAMMAR
            or text.is_used(match.start(1), match.end(1))
            # "only for Services" names a kind; "except in the ingress namespace" a namespace.
            or (match.group(1) in _KIND_NAMES and not re.search(r"\bnamespaces?\s*$", match.group(0)))
        ):
            break
        after = match.end()
        if names and not _END.match(text.low, after):
            # After "and"/"or" a word counts only when it ends the list ("kube-system and monitoring"),
            # so "except in kube-system and privileged pods" keeps "privileged" out.
            break
        names.append(match.group(1))
        join = _JOIN.match(text.low, after)
        if not join:
            pos = after
            break
        pos = join.end()
        if not _NS_WORD.match(text.low, pos):
            pos = after
            break
    return names, pos if names else start


def _names_a_namespace(text: Text, match: re.Match[str], names: list[str], end: int) -> bool:
    """True when the words after "but not" / "leave" are plainly namespaces, not an ordinary word.

    A preposition ("but not in x"), the word "namespace" ("but not the x namespace"), a namespace
    every cluster has ("but not kube-system"), or hyphenated names that end the clause
    ("skip team-a, team-b.") say so; "and not leaving it unset" does not.
    """
    if re.search(r"\b(?:in|within|inside|for|from|namespaces?)\s", match.group(0)):
        return True
    if re.search(r"\bnamespaces?\s*$", text.low[match.start() : end]):
        return True
    if any(n in WELL_KNOWN_NAMESPACES for n in names):
        # "leave kube-system and cilium alone": one well-known name makes the whole list namespaces.
        return True
    return all("-" in n or "*" in n for n in names) and _CLAUSE_END.match(text.low, end) is not None


def _collect(text: Text, triggers: list[str], problems: list[str]) -> list[str]:
    found: list[str] = []
    for trigger in triggers:
        for match in re.finditer(trigger, text.low):
            if text.is_used(match.start(), match.end()):
                continue
            names, end = _ns_list(text, match.end())
            if names and trigger in _WEAK_TRIGGERS and not _names_a_namespace(text, match, names, end):
                if any(n in _NAMESPACE_LIKE or "-" in n for n in names):
                    # "but not monitoring" may well mean the namespace: ask rather than guess either way.
                    problems.append(
                        f'the exemption "{text.raw[match.start() : end].strip()}" (write "the {names[0]} '
                        'namespace" if it is a namespace)'
                    )
                continue
            if names:
                text.use(match.start(), end)
                found += names
    return found


def _namespace_globs(text: Text, scope: Scope) -> None:
    for match in _PREFIXED.finditer(text.low):
        glob = f"{match.group(1)}*" if match.group(1) else f"*{match.group(2)}"
        before = text.low[max(0, match.start() - 40) : match.start()]
        target = scope.excluded if _EXCLUDING.search(before) else scope.namespaces
        target.append(glob)
        text.use(match.start(), match.end())
    for match in _SYSTEM.finditer(text.low):
        if text.is_used(match.start(), match.end()):
            continue
        before = text.low[max(0, match.start() - 40) : match.start()]
        if re.search(
            r"\b(?:except|outside|exclud\w*|exempt\w*|other than|apart from|not in|skip|ignore|leave)\b",
            before,
        ):
            scope.excluded.append("kube-*")
            scope.notes.append('"system namespaces" read as every namespace matching kube-*')
            text.use(match.start(), match.end())


def extract_scope(text: Text) -> Scope:
    """Namespaces, kinds and enforcement from the request; marks the words it used."""
    scope = Scope()
    _namespace_globs(text, scope)
    scope.excluded += _collect(text, EXCLUDE_TRIGGERS, scope.problems)
    for match in _FREE_SUBJECT.finditer(text.low):
        name = match.group(1)
        plain = match.group(2) or name in WELL_KNOWN_NAMESPACES or ("-" in name and name not in _NOT_NS)
        if plain and name not in _GRAMMAR and not text.is_used(match.start(), match.end()):
            free = _FREE_AFTER.match(text.low, match.end())
            scope.excluded.append(name)
            text.use(match.start(), free.end() if free else match.end())
    for match in _POSTFIX_EXEMPT.finditer(text.low):
        # "The ci namespace is exempt": the word "namespace" makes an ordinary word ("ci") a name.
        skip = _GRAMMAR if "namespace" in match.group(0) else _NOT_NS
        if match.group(1) not in skip and not text.is_used(match.start(), match.end()):
            scope.excluded.append(match.group(1))
            text.use(match.start(), match.end())
    scope.namespaces += _collect(text, INCLUDE_TRIGGERS, scope.problems)
    for match in _IN_NAMED.finditer(text.low):
        if text.is_used(match.start(), match.end()):
            continue
        group = match.group(1) or match.group(2)
        # "in the ci namespace": the word "namespace" after them makes ordinary words ("ci") names.
        skip = _NOT_NS if match.group(1) else _GRAMMAR
        names = [n for n in re.split(_JOIN.pattern, group) if n and n not in skip]
        if names and not any(n in ("all", "every", "any") for n in names):
            # "is fine in kube-system", "not in the monitoring namespace": an exemption, not a restriction.
            before = re.split(r"[;.]", text.low[max(0, match.start() - 40) : match.start()])[-1]
            free = _FREE_AFTER.match(text.low, match.end())
            exempting = (
                _EXCLUDING.search(before)
                or re.search(r"\b(?:fine|ok|okay|allowed|permitted)\s*$", before)
                or free
            )
            (scope.excluded if exempting else scope.namespaces).extend(names)
            text.use(match.start(), free.end() if free else match.end())
    for match in _IN_ENVIRONMENT.finditer(text.low):
        if not text.is_used(match.start(), match.end()):
            scope.namespaces.append(match.group(1))
            scope.notes.append(f'"{match.group(0)}" read as the namespace {match.group(1)}')
            text.use(match.start(), match.end())
    for match in _UNREAD_EXEMPTION.finditer(text.low):
        word = match.group(1)
        if word in _NOT_NS and word not in _GRAMMAR and not text.is_used(match.start(1), match.end(1)):
            scope.problems.append(
                f'the exemption "{text.raw[match.start() : match.end()]}" (write "the {word} namespace" '
                "if it is a namespace)"
            )
    for match in _BACK_REFERENCE.finditer(text.low):
        # "... are kube-system and cilium, so leave those two namespaces alone" repeats the exemption.
        if scope.excluded and not text.is_used(match.start(), match.end()):
            text.use(match.start(), match.end())
    scope.excluded = dedupe(scope.excluded)
    scope.namespaces = dedupe(scope.namespaces)
    clash = sorted(set(scope.excluded) & set(scope.namespaces))
    if clash:
        scope.problems.append(f"namespace {', '.join(clash)} is both exempted and required")
    _kinds(text, scope)
    _enforcement(text, scope)
    return scope


def refresh_kinds(text: Text, scope: Scope) -> None:
    """Re-reads the kinds once parameters are filled: "service account argocd/..." names a subject, not a kind."""
    scope.kinds, scope.kind_offsets, scope.kinds_only, scope.subject_kinds = [], [], False, []
    _kinds(text, scope)


def _kinds(text: Text, scope: Scope) -> None:
    kinds = []
    for match in _KIND_RE.finditer(text.low):
        if text.is_used(match.start(), match.end()):
            continue
        kinds.append(KIND_WORDS[match.group(1)])
        scope.kind_offsets.append((KIND_WORDS[match.group(1)], match.start()))
        before = text.low[max(0, match.start() - 40) : match.start()]
        after = text.low[match.end() : match.end() + 12]
        scope.kinds_only |= bool(_ONLY_BEFORE.search(before) or _ONLY_AFTER.match(after))
        if KIND_WORDS[match.group(1)] != "Pod" and _opens_sentence(text.low[: match.start()]):
            scope.subject_kinds.append(KIND_WORDS[match.group(1)])
    scope.kinds = dedupe(kinds)
    scope.subject_kinds = dedupe(scope.subject_kinds)


def _opens_sentence(before: str) -> bool:
    """True when only determiners and other kinds stand between a sentence start and a kind.

    "pods" is how people say "workloads", so it never makes a subject (the caller skips it).
    """
    sentence = re.split(r"[.;:!?](?:\s|$)", before)[-1]
    rest = _KIND_RE.sub(" ", sentence)
    return not re.sub(r"\b(?:our|all|every|each|any|the|your|their|and|or)\b|[,&/\s]", "", rest)


def _enforcement(text: Text, scope: Scope) -> None:
    actions = []
    for action, pattern in (("warn", _WARN), ("dryrun", _DRYRUN), ("deny", _ENFORCE)):
        for match in pattern.finditer(text.low):
            actions.append(action)
            text.use(match.start(), match.end())
    chosen = dedupe(actions)
    if "deny" in chosen and len(chosen) > 1:
        # "enforce it as a warning": the softer word is the specific one.
        chosen.remove("deny")
    if len(chosen) > 1:
        scope.problems.append("the request asks for both a warning and an audit-only (dry run) policy")
    scope.enforcement = chosen[0] if chosen else None
