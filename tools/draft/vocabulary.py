"""The concept vocabulary: how engineers name each catalog exemplar, as weighted patterns.

Patterns run on the lower-cased request. Weight 1.0 means "this phrase alone names the
exemplar"; lower weights are hints that need support from the exemplar's own phrasings
(see scoring.py). Exemplars of one `family` are alternatives: only the best one is drafted.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.draft.names import CAPABILITY_ALTERNATION, FIELD_PATH

# Guards so a concept word inside a host name or label key ("registry.example.com",
# "app.kubernetes.io/name") is not read as the concept.
_L = r"(?<![\w./:-])"
_R = r"(?![\w/:-]|[.-]\w)"
_NUM = r"\d+(?:\.\d+)?"
_QTY = _NUM + r"\s*(?:cpus?|cores?|vcpus?|m\b|millicores?|[kmgtpe]i?b?\b|gigs?\b|gigabytes?|megabytes?)"
# A list of resources with ephemeral-storage among others ("memory and ephemeral-storage limits"):
# the list names the limits or requests rule, not the ephemeral-storage exemplar alone.
_RES = r"(?:cpus?|memory|mem|ram)"
_EPH = r"ephemeral[\s-]storage"
_SEP = r"\s*(?:,|and|or|&|/)\s*(?:and\s+|or\s+)?(?:the\s+)?"
_WITH_EPH = (r"\b(?:(?:" + _RES + _SEP + r")+" + _EPH + r"|" + _EPH + r"(?:" + _SEP + _RES + r")+|(?:" + _RES + _SEP
             + r")+" + _EPH + r"(?:" + _SEP + _RES + r")+)")  # fmt: skip
# CPU said in words: "half a core", "two cores", "four times the request".
_CPU_WORDS = (r"(?:(?:a|one)\s+)?(?:half|quarter|three\s+quarters)\s+(?:of\s+)?(?:a|one)\s+(?:cpus?|cores?|vcpus?)\b|"
              r"\b(?:one|two|three|four|five|six|eight|ten|sixteen)\s+(?:full\s+)?(?:cpus?|cores?|vcpus?)\b")  # fmt: skip
_TIMES_WORD = r"\b(?:two|three|four|five|six|eight|ten)\s+times\b"
_MORE = (
    r"(?:more than|above|exceed\w*|over|greater than|larger than|higher than|bigger than|beyond|"
    r"at most|no more than|not more than|up to|maximum(?: of)?|max(?: of)?|capped at|cap(?:ped)? at|<=?)"
)


@dataclass(frozen=True)
class Concept:
    """One exemplar as engineers ask for it."""

    id: str
    slug: str
    noun: str
    patterns: tuple[tuple[str, float], ...]
    allow_list: bool = False
    context: str | None = None
    family: str | None = None


def _c(id_: str, slug: str, noun: str, *patterns: tuple[str, float], **kw: object) -> Concept:
    return Concept(id_, slug, noun, tuple(patterns), **kw)  # type: ignore[arg-type]


CONCEPTS: list[Concept] = [
    _c("privileged-containers", "deny-privileged", "privileged containers",
       (_L + r"privileged(?!\s+ports?)(?:\s+(?:mode|access|flag))?" + _R, 1.0),
       (r"securitycontext\.privileged", 1.0), (r"privileged:\s*true", 1.0)),
    _c("host-namespaces", "deny-host-namespaces", "host namespaces",
       (r"\bhost[\s_-]?(?:network(?:ing|s)?|pid|ipc)\b", 1.0), (r"\bhost\s+namespaces?\b", 1.0),
       (r"\b(?:pid|ipc)(?:\s+namespaces?)?\b", 0.9),
       (r"\b(?:node|host)(?:'s)?\s+(?:network(?:ing)?(?:\s+(?:stack|namespace))?|processes|pid|ipc|"
        r"process\s+(?:id\s+)?namespace)\b", 1.0)),
    _c("host-ports", "deny-host-ports", "host ports", (r"\bhost[\s_-]?ports?\b", 1.0),
       (r"\bports?\s+(?:directly\s+)?on\s+the\s+(?:node|host)(?:'s)?(?:\s+ip(?:\s+address)?)?", 0.9),
       (r"\bbind(?:s|ing)?\s+(?:to\s+)?(?:a\s+)?(?:ports?\s+)?on\s+the\s+(?:node|host)\b", 0.9),
       allow_list=True),
    _c("host-path-volumes", "deny-host-path-volumes", "hostPath volumes",
       (r"\bhost[\s_-]?paths?(?:\s+(?:volumes?|mounts?))?\b", 1.0),
       (r"\b(?:node|host)(?:'s)?\s+(?:file\s?system|disk|directories|directory|files)\b", 0.9),
       (r"\b(?:docker|containerd|crio)\.sock\b|\b(?:docker|containerd|cri-?o|runtime|cri)(?:'s)?\s+"
        r"(?:daemon\s+|engine\s+|runtime\s+|api\s+)?sock(?:et)?s?\b", 0.9),
       # "deny mounting /etc": an absolute path a pod mounts is a host path (/proc is proc-mount's).
       (r"\bmount(?:s|ing|ed)?\s+(?:of\s+)?(?:the\s+)?(?:(?:host|node)(?:'s)?\s+)?(?:paths?\s+)?(?=/(?!proc\b|sys\b)[a-z0-9])",
        0.9), allow_list=True),
    _c("capabilities-drop-all", "require-drop-all-capabilities", "capabilities not dropped",
       (r"\bdrop(?:s|ping|ped)?\s+(?:all|every)\b(?:\s+(?:linux\s+)?capabilit(?:y|ies))?", 1.2),
       (r"\bcapabilities\.drop\b|drop:\s*\[?\s*\"?all\b", 1.2),
       (r"\brestricted\b[^.;]{0,40}\bcapabilit(?:y|ies)\b|\b(?:default|full)\s+capabilit(?:y|ies)(?:\s+set)?\b", 1.1),
       family="capabilities"),
    _c("capabilities-allowed", "restrict-capabilities", "added capabilities outside the allowed list",
       (r"\b(?:only|allowed|allow[\s-]?list(?:ed)?|whitelist(?:ed)?|approved|permitted|baseline)\b[^.;]{0,60}"
        r"\bcapabilit(?:y|ies)\b", 1.05),
       (r"\bcapabilit(?:y|ies)\b[^.;]{0,30}\b(?:allow[\s-]?list|whitelist|beyond|outside|not\s+in|other\s+than)\b",
        1.05),
       (r"\brestrict\w*\s+(?:added\s+|linux\s+)?capabilit(?:y|ies)", 1.05),
       (r"\b(?:may|can)\s+(?:only\s+)?add\b[^.;]{0,60}\b(?:and\s+nothing\s+else|only)\b"
        r"|\bonly\s+(?:the\s+)?(?:cap_)?(?:" + CAPABILITY_ALTERNATION + r"|chown|setuid|setgid|kill|mknod|setfcap|setpcap|fowner|fsetid)\b", 1.05), (r"\bcapabilities\.add\b", 0.8),
       allow_list=True, family="capabilities"),
    _c("capabilities-disallowed", "deny-capabilities", "forbidden capabilities",
       (r"\bcapabilit(?:y|ies)\b", 0.9), (r"(?<![\w./-])(?:cap_)?(?:" + CAPABILITY_ALTERNATION + r")(?![\w/-])|\bcap_[a-z]+\b", 0.9),
       family="capabilities"),
    _c("apparmor", "require-apparmor", "AppArmor profiles", (r"\bapp\s?armou?r(?:profile)?\b", 1.0),
       # "... or the old annotation" is AppArmor's legacy annotation, not a required one.
       (r"\bapp\s?armou?r\b[^.;]{0,80}?\b(?:old|legacy|deprecated|beta)\s+annotations?\b", 1.1),
       (r"\bcontainer\.apparmor\.security\.beta\.kubernetes\.io(?:/[\w.-]*)?(?:\s+annotations?)?", 1.2),
       allow_list=True),
    _c("selinux", "restrict-selinux", "SELinux options", (r"\bse\s?linux(?:options)?\b", 1.0), allow_list=True),
    _c("proc-mount", "deny-unmasked-proc-mount", "unmasked /proc mounts",
       (r"\bproc\s?mount\b|\bproc\s+file\s?system\b", 1.0), (r"\bunmask\w*", 0.9), (r"/proc\b", 0.8)),
    _c("seccomp-baseline", "deny-unconfined-seccomp", "unconfined seccomp",
       (r"\bunconfined\s+seccomp\b|\bseccomp(?:profile)?\b[^.;]{0,30}\bunconfined\b", 1.1),
       (r"\b(?:turn\w*\s+off|disabl\w+)\s+(?:the\s+)?seccomp\b|\bseccomp\b[^.;]{0,30}\b(?:turn\w*\s+off|disabled?)\b"
        r"|\bopt\w*\s+out\s+of\s+(?:the\s+)?(?:runtime\s?default|seccomp)\b", 1.1),
       (r"\bbaseline\b[^.;]{0,30}\bseccomp\b|\bseccomp\b[^.;]{0,30}\bbaseline\b", 1.15),
       # The legacy seccomp annotation set to unconfined is what this exemplar forbids.
       (r"\bseccomp\.security\.alpha\.kubernetes\.io(?:/[\w.-]*)?(?:\s+annotations?)?", 1.2),
       (r"\bseccomp\b[^.;]{0,80}?\b(?:old|legacy|deprecated|alpha)\s+annotations?\b", 1.15), family="seccomp"),
    _c("seccomp-restricted", "require-seccomp", "missing seccomp profiles", (r"\bseccomp(?:profile)?\b", 1.0),
       (r"\bsyscall\s+filter\w*", 0.9), allow_list=True, family="seccomp"),
    _c("sysctls", "restrict-sysctls", "unsafe sysctls", (r"\bsysctls?\b", 1.0),
       (r"\bkernel\s+param(?:eter)?s?\b", 0.9),
       (r"\b(?:which|that)\s+(?:are|is)\s+not\s+(?:namespaced|isolated)(?:\s+(?:or|and|nor)\s+(?:namespaced|isolated))?"
        r"(?:\s+from\s+other\s+pods)?", 0.9), allow_list=True),
    _c("windows-hostprocess", "deny-windows-hostprocess", "Windows HostProcess containers",
       (r"\bhost\s?process\b", 1.0), (r"\bwindows\b[^.;]{0,40}\b(?:host|privileged)\b", 0.9),
       # "privileged Windows host process pods" are HostProcess pods, not privileged Linux containers.
       (r"\bprivileged\s+windows\s+(?:host\s?process|hostprocess)\b", 1.2),
       (r"\b(?:run\w*|execut\w*)\s+(?:as\s+)?(?:a\s+)?process(?:es)?\s+(?:directly\s+)?on\s+the\s+(?:windows\s+)?"
        r"(?:node|host)\b", 1.0)),
    _c("privilege-escalation", "deny-privilege-escalation", "privilege escalation",
       (r"\bprivilege\s+escalation\b|\ballowprivilegeescalation\b", 1.0),
       (r"\bescalat\w*\s+(?:their\s+|its\s+)?privileges?\b", 1.0), (r"\bno_new_privs\b", 0.9),
       (r"\bgain(?:ing)?\s+(?:more\s+|additional\s+|root\s+)?privileges?\b|\bgain(?:ing|s)?\s+root\b", 0.9),
       (r"\bsetuid\b", 0.7)),
    _c("disallow-root-user", "deny-root-uid", "containers running as uid 0",
       (r"\brunasuser\s*(?::|=|to|of|set\s+to)?\s*(?:0|zero)\b", 1.2),
       (r"\b(?:uid|user\s+id|user)\s*(?:=|of|:)?\s*(?:0|zero)\b|\broot\s+uid\b", 1.2),
       (r"\bexplicitly\s+(?:run|runs|running|set\w*)\s+(?:as\s+)?(?:the\s+)?root(?:\s+user)?\b", 1.25),
       (r"\bunless\s+(?:a|the|each)\s+container\s+overrides?\s+(?:it|that|this)(?:\s+with\s+(?:a\s+)?"
        r"non[\s-]?(?:root|zero)\s+(?:uid|user(?:\s+id)?))?", 1.3)),
    _c("run-as-non-root", "require-run-as-non-root", "containers that may run as root",
       (r"\bnon[\s-]?root\b|\brunasnonroot\b", 1.0),
       (r"\b(?:run|runs|running|start|starts|started|starting|execute|executing)\s+as\s+(?:the\s+)?root"
        r"(?:\s+user)?\b", 1.0), (r"\bas\s+root\b|\bbecom\w*\s+root\b", 0.9), (r"\broot\s+(?:user|containers?|processes?)\b", 0.8)),
    _c("read-only-root-filesystem", "require-read-only-root-filesystem", "writable root filesystems",
       (r"\bread[\s-]?only\s+(?:root\s+)?(?:file\s?systems?|fs|rootfs|root)\b|\breadonlyrootfilesystem\b", 1.2),
       (r"\b(?:writable|writeable|immutable)\s+(?:root\s+)?(?:file\s?systems?|fs)\b", 1.1),
       (r"\broot\s+file\s?systems?\b(?:[^.;]{0,20}\bread[\s-]?only\b)?", 1.1),
       (r"\bfile\s?systems?\s+(?:is\s+|are\s+|be\s+)?(?:immutable|read[\s-]?only)\b", 1.1)),
    _c("volume-types", "restrict-volume-types", "volume types outside the allowed list",
       (r"\bvolume\s+types?\b|\btypes?\s+of\s+volumes?\b|\bvolume\s+(?:kinds|sources)\b", 1.0),
       (r"\b(?:nfs|iscsi|git\s?repo|cephfs|glusterfs|rbd|flex\s?volume|flocker|fc|cinder|"
        r"aws\s?elastic\s?block\s?store|azure\s?(?:disk|file)|gce\s?persistent\s?disk|quobyte|"
        r"portworx\w*|scale\s?io|storageos|vsphere\w*|photon\w*)\s+volumes?\b", 1.0),
       (r"\b(?:use|mount|allow\w*|permit\w*)\s+(?:only\s+)?[^.;]{0,120}\bvolumes\b", 0.9), allow_list=True),
    _c("probes-required", "require-probes", "containers without probes",
       (r"\b(?:liveness|readiness|startup)(?:\s*(?:,|and|or|&)\s*(?:liveness|readiness|startup))*\s*probes?\b",
        1.1), (r"\b(?:liveness|readiness|startup)probe\b", 1.1), (r"\bprobes?\b|\bhealth\s?checks?\b", 0.9)),
    _c("replica-bounds", "bound-replicas", "replica counts outside the bounds",
       (r"\breplicas?\b|\breplica\s+count\b|\bsingle[\s-](?:instance|replica)\b", 1.0),
       (r"\bhighly\s+available\b", 0.6)),
    _c("automount-service-account-token", "deny-automounted-service-account-tokens",
       "automounted service account tokens", (r"\bautomount\w*", 1.0),
       (r"\b(?:auto(?:matically)?[\s-]?)?mount(?:s|ing|ed)?\s+(?:of\s+)?(?:the\s+)?(?:default\s+)?service\s?account\s+"
        r"(?:api\s+)?(?:tokens?|credentials)\b", 1.1),
       (r"\bservice\s?account\s+(?:api\s+)?(?:tokens?|credentials)\b", 1.0), (r"\b(?:sa|api)\s+tokens?\b", 0.9)),
    _c("pdb-allows-disruption", "require-disruptable-pdbs", "PodDisruptionBudgets that block eviction",
       (r"\b(?:pod\s?)?disruption\s?budgets?\b|\bpdbs?\b", 1.0),
       (r"\bmax\s?unavailable\b|\bmin\s?available\b", 1.0), (r"\b(?:evict\w*|drain\w*)\b", 0.6)),
    _c("latest-tag", "deny-latest-tag", "images tagged latest or untagged",
       (r"(?:\b(?:tagged|tag(?:ged)?\s+(?:as|with))\s+[\"'`]?)?:?\blatest(?:\s+(?:image\s+)?tags?)?\b", 1.0),
       (r"\buntagged\b|\bwithout\s+(?:a\s+|an\s+)?(?:explicit\s+)?(?:version\s+)?tags?\b|\b(?:no|missing)\s+tags?\b",
        1.0), (r"\b(?:leav\w+|left)\s+(?:the\s+|a\s+)?tags?\s+off\b|\b(?:leav\w+|left)\s+off\s+(?:the\s+)?tags?\b|"
               r"\bomit\w*\s+(?:the\s+)?tags?\b", 1.0), (r"\b(?:explicit|pinned|specific|fixed)\s+(?:image\s+)?(?:versions?|tags?)\b", 0.95),
       (r"\bfloating\s+(?:image\s+)?tags?\b", 0.9)),
    _c("image-digests", "require-image-digests", "images without a digest",
       (r"\bdigests?\b|\bsha256\b|@sha", 1.05), (r"\bimmutable\s+(?:image\s+)?references?\b", 0.9),
       (r"\btag[\s-]only\b", 1.0), (r"\bimmutable\b", 0.6), (r"\bdigest[\s-]pinn?(?:ing|ed)\b", 1.1),
       (r"\bpinn?ed\s+(?:with|by|to)\s+(?:an?\s+)?(?:@?sha256\s+)?digests?\b", 1.1),
       (r"\btags?\s+(?:are|is)\s+mutable\b|\bmutable\s+tags?\b", 1.0),
       (r"\bdigests?\b[^.;]{0,20}\b(?:not|instead\s+of|rather\s+than)\s+(?:by\s+)?(?:a\s+)?tags?\b", 1.1),
       (r"\bpin(?:ned|ning|s)?\s+(?:\w+\s+)?(?:by|to|with)\s+(?:a\s+|the\s+|their\s+|its\s+)?(?:digest|sha)\w*", 1.1)),
    _c("image-pull-policy", "require-image-pull-policy", "image pull policies outside the allowed list",
       (r"\b(?:image\s?)?pull\s?polic(?:y|ies)\b", 1.0), (r"\balways\s+pull\w*\b|\bpull\s+always\b", 1.0),
       (r"\bcached\s+(?:container\s+)?images?\b|\bimages?\s+from\s+(?:the\s+)?(?:node(?:'s)?\s+)?cache\b", 1.0),
       allow_list=True),
    _c("allowed-registries", "restrict-image-registries", "images from registries outside the allow-list",
       (r"\b(?:trusted|approved|allowed|whitelisted|allow[\s-]?listed|internal|private|our|corporate|company|"
        r"known)\s+(?:container\s+|image\s+|docker\s+)?(?:registr(?:y|ies)|repositor(?:y|ies)|repos)" + _R, 1.0),
       (_L + r"registr(?:y|ies)" + _R, 0.7),
       (r"\bimages?\s+(?:is|are)\s+only\s+(?:acceptable|allowed|permitted|ok|okay|fine)\s+(?:if|when)\s+(?:it|they)\s+"
        r"(?:lives?|comes?|(?:is|are)\s+(?:hosted|pulled|stored))\s+(?:in|from|on|at)\b", 1.1),
       (r"\b(?:whitelist|allow[\s-]?list|safelist)\s+(?=[a-z0-9-]+(?:\.[a-z0-9-]+)+)", 1.1),
       (r"\bonly\s+(?:allow\s+|permit\s+|accept\s+|use\s+|run\s+|pull\s+|admit\s+)?(?:container\s+)?images?\s+"
        r"(?:from|hosted|stored|in|that\s+come\s+from)\b", 1.1),
       (r"\b(?:images?|pulls?)\s+(?:must|should|have\s+to|has\s+to|need\s+to|may\s+only|can\s+only)\s+(?:only\s+)?"
        r"(?:come|be\s+pulled|be)\s+(?:only\s+)?from\b", 1.1),
       (r"\bonly\s+(?:be\s+)?pull\w*\s+from\b|\bimage\s+(?:sources?|provenance|origins?)\b", 1.0),
       (r"\bpull\w*\s+(?:images?\s+)?only\s+from\b", 1.1),
       (r"\b(?:only\s+(?:allow|permit|accept|trust|use)\w*|(?:allow|permit|accept|trust)\w*\s+only)\s+(?:the\s+|our\s+)?"
        r"(?=[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:/\S*)?\s+(?:registry|registries|repos?|repositor\w*|images?)\b)", 1.1),
       (r"\b(?:whose\s+)?(?:image\s+)?registr(?:y|ies)\s+(?:is|are)(?:n'?t|\s+not)\s+(?:on|in)\s+(?:the|our)\s+"
        r"(?:approved|allowed|trusted)\s+list\b", 1.1),
       # "block untrusted registries" says what to allow without naming it; weak, so it never outbids a named block.
       (r"\buntrusted\s+(?:container\s+|image\s+)?(?:registr(?:y|ies)|repositor(?:y|ies)|repos)\b"
        r"(?![^.;]*?[a-z0-9-]+\.[a-z]{2,})", 0.8),
       (r"\b(?:images?|containers?)\s+(?:that|which)\s+(?:is|are)(?:n'?t|\s+not)\s+(?:pulled\s+|coming\s+)?from\b"
        r"|\b(?:images?|pulls?)\s+not\s+(?:pulled\s+)?from\b|\bnot\s+(?:pulled\s+)?from\s+(?:our|the\s+approved)\b", 1.1),
       allow_list=True),
    _c("disallowed-repositories", "deny-image-repositories", "images from disallowed repositories",
       (r"\b(?:block|ban|forbid|deny|disallow|reject|blacklist|prevent|refuse)\w*\s+(?:all\s+|any\s+)?"
        r"(?:container\s+)?(?:images?|pulls?|pulling|anything)(?:\s+(?:that|which)\s+(?:comes?|(?:is|are|gets?)\s+pulled))?"
        r"\s+from\b", 1.1),
       (r"\b(?:banned|disallowed|forbidden|blocked|blacklisted|deny[\s-]?listed|deprecated|legacy)\s+"
        r"(?:image\s+)?(?:registr(?:y|ies)|repositor(?:y|ies)|repos|images)" + _R, 1.05),
       (r"\b(?:no|never)\s+(?:container\s+)?images?\s+from\b", 1.1),
       # "Stop people pulling images straight from Docker Hub"
       (r"\b(?:stop\s+(?:(?:people|anyone|everyone|teams?|users?|folks|developers)\s+)?(?:from\s+)?|"
        r"keep\s+(?:people|anyone|everyone|teams?|users?|folks|developers)\s+from\s+)"
        r"(?:pull\w*|using|deploying|running)\s+(?:container\s+)?(?:images?\s+)?(?:(?:straight|directly)\s+)?from\b", 1.1),
       (r"\b(?:nobody|no\s+one|never)\s+(?:\w+\s+){0,3}?(?:run|use|pull|deploy)\w*\s+(?:the\s+|any\s+)?"
        r"(?=[a-z0-9-]+(?:\.[a-z0-9-]+)+/|[a-z0-9-]+/[a-z0-9])", 1.1),
       (r"\banything\s+(?:else\s+)?from\s+(?=[a-z0-9-]+(?:\.[a-z0-9-]+)+)", 0.9),
       (r"\b(?:block|ban|forbid|deny|disallow|reject|blacklist|prevent|refuse)\w*\s+(?:the\s+|all\s+|any\s+|"
        r"images?\s+from\s+(?:the\s+)?)?(?:(?:deprecated|legacy|old|outdated|untrusted)\s+)?(?!" + FIELD_PATH + r")(?=[a-z0-9-]+(?:\.[a-z0-9-]+)+(?![\w.-]*\s+(?:annotation|label)))",
        1.1),
       # A deny-list of what? Only images: "blacklist specific capabilities" is not about repositories.
       (r"\b(?:deny[\s-]?list|block[\s-]?list|blacklist\w*)(?=[^.;]{0,40}\b(?:images?|registr|repositor|repos?\b|prefix))", 0.8), (_L + r"repositor(?:y|ies)" + _R, 0.6)),
    _c("limits-required", "require-limits", "containers without resource limits",
       (r"\b(?:require|must\s+(?:have|set|define|declare|specify)|missing|without|no)\b(?:(?!requests?\b|probes?\b)[^.;]){0,25}"
        r"\blimits?\b(?!\s+(?:of\s+|is\s+|are\s+|(?:may|must|should|can)\s+(?:be\s+)?)?" + _MORE + r")", 1.3),
       (r"\b(?:cpu|memory|mem|ram|resource|container)\s+limits?\b|\bresources\.limits\b(?!\.)", 1.0),
       (r"(?<!\boff\s)(?<!\.)\blimits\b(?!\.)", 0.9), (_WITH_EPH + r"\s+limits?\b", 1.45)),
    _c("requests-required", "require-requests", "containers without resource requests",
       (r"\b(?:cpu|memory|mem|ram|resource)\s+requests?\b|\bresources\.requests\b(?!\.)", 1.0),
       (r"\brequests?\b(?=\s+(?:and|&)\s+limits?\b)|(?<=\blimits and )requests?\b", 1.0),
       (r"\brequests?\s+(?:for|on)\s+(?:cpu|memory)\b", 1.0),
       # Requests of ephemeral storage are requests, whatever the ephemeral-storage exemplar's name says.
       (r"(?:" + _WITH_EPH + r"|\b" + _EPH + r")\s+requests?\b", 1.45)),
    _c("max-limits", "cap-resource-limits", "resource limits above the maximum",
       (r"\b(?:limits?|cpus?|memory|mem|ram)\b[^.;,]{0,30}\b" + _MORE + r"\s*" + _NUM + r"(?![\d.]|\s*(?:x|times)\b)", 1.2),
       (r"\b" + _MORE + r"\s*" + _QTY, 1.1),
       (r"\b(?:limits?|cpus?)\b[^.;,]{0,30}\b" + _MORE + r"\s*(?:" + _CPU_WORDS + r")", 1.2),
       (r"\b(?:maximum|max)\s+(?:cpu|memory|mem|ram)(?:\s+limits?)?\b", 1.1),
       (r"\b(?:upper\s+bound|ceiling|cap|maximum|max)\s+(?:on|for|of)\s+(?:the\s+)?(?:container\s+)?[^.;]{0,25}\blimits?\b", 1.3),
       (r"\b(?:cap(?:ped)?|limit(?:ed)?|restrict(?:ed)?)\s+(?:the\s+)?(?:container\s+)?(?:cpu|memory|mem|ram)?\s*"
        r"(?:limits?\s+)?(?:at|to)\s+" + _NUM, 1.25), context=r"\b(?:cpus?|cores?|memory|mem|ram|limits?|millicores?)\b"),
    _c("limit-request-ratio", "cap-limit-request-ratio", "limit to request ratios above the maximum",
       (r"\bratio\b(?:[^.;]{0,40}?\b" + _NUM + r"\b)?", 1.1),
       (r"\b" + _NUM + r"\s*(?:x|times)\s+(?:the\s+|their\s+)?requests?\b", 1.25),
       (_TIMES_WORD + r"\s+(?:the\s+|their\s+|its\s+)?(?:(?:cpu|memory)\s+)?requests?\b", 1.25),
       (r"\blimits?\b[^.;,]{0,40}?" + _TIMES_WORD + r"[^.;,]{0,20}\brequests?\b", 1.35),
       (r"\blimits?\b[^.;,]{0,40}?\b" + _NUM + r"\s*(?:x|times)\b[^.;,]{0,20}\brequests?\b", 1.35),
       (r"\blimits?\s+(?:must\s+|should\s+|have\s+to\s+)?(?:equal|match|be\s+equal\s+to)\s+(?:the\s+|their\s+)?requests?\b", 1.35),
       (r"\blimit[\s-]+(?:to[\s-]+)?requests?\s+ratio\b(?:[^.;]{0,40}?\b" + _NUM + r"\b)?", 1.35),
       (r"\blimits?\b[^.;,]{0,40}?\b(?:twice|double|triple|thrice)\b[^.;,]{0,20}\brequests?\b", 1.35),
       (r"\bovercommit\w*", 1.0)),
    _c("ephemeral-storage-limits", "require-ephemeral-storage-limits", "containers without ephemeral-storage limits",
       (r"\bephemeral[\s-]storage(?:\s+limits?)?(?:[^.;]{0,100}?\b" + _MORE + r"\s*" + _QTY + r")?", 1.4),
       # "emptyDir scratch space" is a volume type's description, not a storage limit.
       (r"\blocal\s+storage\b|(?<!emptydir\s)\bscratch\s+space\b|\blocal\s+disk(?:\s+usage)?\b|\bdisk\s+usage\b", 0.9),
       # "pods keep filling up the node's disk" is about their own scratch data, not hostPath mounts.
       (r"\bfill\w*\s+(?:up\s+)?(?:the\s+)?(?:node|host)(?:'s)?\s+(?:disk|file\s?system|storage)\b", 1.0)),
    _c("required-labels", "require-labels", "objects without the required labels",
       (r"\blabels?\b|\blabell?ed\b|\blabell?ing\b", 1.0)),
    _c("required-annotations", "require-annotations", "objects without the required annotations",
       (r"\bannotations?\b|\bannotated\b", 1.0)),
    _c("disallow-default-namespace", "deny-default-namespace", "objects in the default namespace",
       (r"\bdefault\s+namespace\b|\bnamespace\s+[\"']?default\b", 1.1),
       (r"\bexplicit\s+namespace\b|\bwithout\s+a\s+namespace\b|\bmissing\s+namespace\b|\bmetadata\.namespace\b"
        r"|\bnot\s+in\s+a\s+namespace\b|\bno\s+namespace\b",
        0.9)),
    _c("service-types", "restrict-service-types", "Services of disallowed types",
       (r"\bload[\s-]?balancers?\b|\bnode[\s-]?ports?\b|\bexternal[\s-]?name\b", 1.0), (r"\bcluster[\s-]?ip\b", 0.9),
       (r"\bservice\s+types?\b|\btypes?\s+of\s+services?\b|\bservices?\s+of\s+type\b", 1.0)),
    _c("ingress-tls", "require-ingress-tls", "Ingresses without TLS",
       (r"\btls\b", 1.0), (r"\bhttps\b", 0.9),
       (r"\bhosts?\b[^.;]{0,40}\b(?:covered|listed|included)\b[^.;]{0,20}\btls\b", 1.1), (r"\b(?:plain\s+)?http\b|\bcertificates?\b|\bencrypt\w*", 0.7),
       context=r"\bingress"),
    _c("ingress-host-wildcards", "deny-wildcard-ingress-hosts", "Ingress rules with wildcard or empty hosts",
       (r"\bwildcard\s+(?:ingress\s+)?hosts?(?:names?)?\b|\bhosts?(?:names?)?\s+(?:with\s+)?wildcards?\b", 1.1),
       (r"\bcatch[\s-]?all\b", 0.9), (r"\b(?:empty|missing|no|explicit)\s+hosts?\b|\bwithout\s+a\s+host\b", 1.0),
       (r"\bwildcards?\b", 0.7), (r"\bhosts?\b[^.;]{0,25}(?:\*|\bwildcard|\bempty\b)", 1.05),
       (r"\b(?:whose\s+)?(?:rule\s+)?hosts?(?:names?)?\s+(?:starts?|begins?)\s+with\s+[\"'`]?\*\.?[\"'`]?", 1.15),
       context=r"\bingress"),
    _c("service-external-ips", "restrict-service-external-ips", "Services with external IPs",
       (r"\bexternal[\s-]?ips?\b|\bexternalips\b", 1.1), (r"\bcve-2020-8554\b", 1.2), allow_list=True),
    _c("rbac-wildcards", "deny-rbac-wildcards", "RBAC rules with wildcards",
       (r"\b(?:rbac|roles?|clusterroles?)\b[^.;]{0,40}(?:wildcards?|[\"']\*[\"']|\*|all\s+verbs|all\s+resources)",
        1.1), (r"(?:wildcards?|\*)[^.;]{0,30}\b(?:verbs|apigroups|api\s+groups|resources)\b", 1.15),
       (r"\b(?:verbs|resources|apigroups|api\s+groups)\s*[:=]?\s*[\[\"']*\*", 1.15),
       (r"\bwildcards?\b[^.;]{0,30}\b(?:rbac|roles?|clusterroles?|rules?|permissions?)\b", 1.1),
       (r"(?:\bwildcards?\b|\bstars?\b|\basterisks?\b|(?<!\S)[\"'`]?\*[\"'`]?(?!\S))\s+(?:in|inside|within)\s+(?:any\s+|the\s+)?"
        r"(?:rbac\s+|cluster\s*)?roles?(?:\s+rules?)?\b", 1.15),
       (r"\bwildcards?\b", 0.6), context=r"\b(?:rbac|roles?|clusterroles?|verbs|apigroups)\b"),
    _c("cluster-admin-bindings", "restrict-cluster-admin-bindings", "bindings to cluster-admin",
       (r"\bcluster[\s-]?admin\b", 1.2), allow_list=True),
]  # fmt: skip

BY_ID = {c.id: c for c in CONCEPTS}
