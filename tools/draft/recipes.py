"""Fixture recipes keyed by exemplar id: fixtures built from the draft's parameters, not copied samples.

| exemplar | recipe builds |
|---|---|
| privileged-containers | privileged app/init container, Deployment, CronJob; privileged: false allowed |
| host-namespaces | hostNetwork, hostPID, hostIPC each denied |
| host-ports | a host port outside allowedPorts denied; each allowed port admitted |
| host-path-volumes | /etc and the runtime socket denied; a path under each allowed prefix admitted; with a blocklist each denied path (and a ".." path) denied, another host path admitted |
| capabilities-allowed | an added capability outside the list denied; each allowed one admitted |
| capabilities-disallowed | each forbidden capability (also as cap_lower) denied; a harmless one admitted |
| capabilities-drop-all | not dropping ALL, adding outside the add-back list denied; each add-back admitted |
| apparmor | profile types outside allowedProfiles denied (container and pod); each allowed admitted |
| selinux | a type outside allowedTypes and a custom user denied; each allowed type admitted |
| proc-mount | procMount Unmasked denied; Default admitted |
| seccomp-baseline | Unconfined on container and pod denied; RuntimeDefault admitted |
| seccomp-restricted | missing profile and disallowed types denied; each allowed type admitted |
| sysctls | sysctls outside allowedSysctls denied; each allowed sysctl admitted |
| windows-hostprocess | hostProcess on container and pod denied |
| privilege-escalation | allowPrivilegeEscalation true and unset denied |
| run-as-non-root | runAsNonRoot false and unset denied; set per container admitted |
| disallow-root-user | runAsUser 0 on container and pod denied |
| read-only-root-filesystem | readOnlyRootFilesystem false and unset denied |
| volume-types | volume types outside allowedTypes denied; each allowed type admitted |
| probes-required | each missing required probe denied; init container without probes admitted |
| replica-bounds | replicas below min / above max / unset denied; both bounds admitted |
| automount-service-account-token | token automount true and unset denied |
| pdb-allows-disruption | maxUnavailable 0 and minAvailable 100% denied |
| latest-tag | :latest and untagged denied; digest-only admitted |
| image-digests | tag without digest denied |
| image-pull-policy | each policy outside allowedPolicies denied; each allowed one admitted |
| allowed-registries | one admitted image per registry; Docker Hub and a look-alike prefix denied |
| disallowed-repositories | an image from each forbidden repository denied; a look-alike admitted |
| limits-required | each missing required limit denied (app and init container) |
| requests-required | each missing required request denied (app and init container) |
| max-limits | just over each maximum denied; just under and exactly at it admitted |
| limit-request-ratio | limit above maxRatio x request denied; exactly maxRatio x admitted |
| ephemeral-storage-limits | missing (and over maxLimit) ephemeral-storage limit denied |
| required-labels | missing label and non-matching value denied; each listed value admitted |
| required-annotations | missing annotation and non-matching value denied; matching admitted |
| disallow-default-namespace | default and missing namespace denied; own namespace admitted |
| service-types | a Service of each disallowed type denied; the other types admitted |
| service-external-ips | an external IP outside allowedIPs denied; each allowed address admitted |
| ingress-tls | no tls and a host missing from tls denied |
| ingress-host-wildcards | '*.' host and host-less rule denied |
| rbac-wildcards | '*' verbs (ClusterRole) and resources (Role) denied |
| cluster-admin-bindings | cluster-admin for a subject outside allowedSubjects denied; allowed subjects admitted |

Every draft also gets scope fixtures on top (fixtures.py): a denied object placed in each
exempt namespace, outside the restricted namespaces, with an exempt image, or of a kind
the draft no longer matches - each expected to be admitted.
"""

from __future__ import annotations

# The recipe modules register themselves on import.
from tools.draft import recipes_network, recipes_objects, recipes_security, recipes_workloads  # noqa: F401
from tools.draft.recipe_base import RECIPES, Case, Ctx

__all__ = ["RECIPES", "Case", "Ctx", "recipe_ids", "cases_for"]


def recipe_ids() -> list[str]:
    """Exemplars with a fixture recipe."""
    return sorted(RECIPES)


def cases_for(ctx: Ctx) -> list[Case]:
    """The recipe's fixtures for one exemplar of a draft (empty when it has no recipe)."""
    build = RECIPES.get(ctx.exemplar_id)
    return build(ctx) if build else []
