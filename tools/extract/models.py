"""Typed results of loading manifests and extracting their policy-relevant features."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.models import Finding

ContainerField = Literal["containers", "initContainers", "ephemeralContainers"]


class Limits(BaseModel):
    """Bounds on what one load may read, so a hostile or broken input fails fast instead of hanging."""

    max_file_bytes: int = Field(default=16 * 1024 * 1024, description="largest file (or stdin) accepted")
    max_total_bytes: int = Field(default=512 * 1024 * 1024, description="all inputs together")
    max_files: int = Field(default=20_000, description="files read from directories and globs")
    max_documents: int = Field(default=10_000, description="YAML documents in one file")
    max_objects: int = Field(default=200_000, description="Kubernetes objects over all inputs")
    max_depth: int = Field(default=64, description="nesting of mappings and sequences in one document")
    max_aliases: int = Field(default=10_000, description="YAML alias uses in one document")
    max_nodes: int = Field(
        default=1_000_000,
        description="nodes of one document once its aliases are expanded (stops 'billion laughs')",
    )


class SourcedObject(BaseModel):
    """One Kubernetes object and where it came from (1-based line of its first key)."""

    obj: dict[str, Any]
    file: str
    line: int = 1
    doc_index: int = 0
    item_index: int | None = Field(
        default=None, description="position in a `kind: List`, if it came from one"
    )

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind", ""))

    @property
    def name(self) -> str:
        meta = self.obj.get("metadata") or {}
        return str(meta.get("name") or meta.get("generateName") or "")

    @property
    def namespace(self) -> str:
        return str((self.obj.get("metadata") or {}).get("namespace") or "")

    def location(self) -> str:
        """`file:line`, the way reports cite an object."""
        return f"{self.file}:{self.line}"


class LoadResult(BaseModel):
    """Every object loaded from the inputs, plus notes on what was skipped or rejected and why."""

    objects: list[SourcedObject] = []
    notes: list[Finding] = []
    files: int = Field(default=0, description="files read (stdin counts as one)")

    @property
    def errors(self) -> list[Finding]:
        """Notes that mean an input could not be read at all (not mere skips)."""
        return [n for n in self.notes if n.level == "error"]


class ImageRef(BaseModel):
    """A container image reference split the way container runtimes read it."""

    raw: str
    registry: str
    repository: str = Field(description='canonical: "library/nginx" for Docker Hub official images')
    path: str = Field(default="", description="the repository as written, without registry, tag or digest")
    tag: str | None = None
    digest: str | None = None
    implicit_registry: bool = False
    implicit_tag: bool = False

    @property
    def uses_latest(self) -> bool:
        """True for ':latest' and for a reference with neither tag nor digest."""
        return self.tag == "latest"


class Resources(BaseModel):
    """A container's resource requests and limits, as written (quantities stay strings)."""

    requests: dict[str, str] = {}
    limits: dict[str, str] = {}


class PortInfo(BaseModel):
    """A container port and, when bound on the node, its hostPort."""

    container_port: int | None = None
    host_port: int | None = None
    protocol: str = "TCP"
    name: str | None = None


class ContainerInfo(BaseModel):
    """One container of any kind, with its path in the object and its effective security settings."""

    name: str
    field: ContainerField
    index: int
    path: str = Field(description="e.g. spec.template.spec.initContainers[0]")
    image: ImageRef | None = None
    image_pull_policy: str | None = None
    security_context: dict[str, Any] = Field(
        default_factory=dict, description="effective: the container's settings over the pod's"
    )
    privileged: bool = False
    allow_privilege_escalation: bool | None = None
    run_as_non_root: bool | None = None
    run_as_user: int | None = None
    run_as_group: int | None = None
    read_only_root_filesystem: bool | None = None
    capabilities_add: list[str] = []
    capabilities_drop: list[str] = []
    seccomp_profile: str | None = Field(default=None, description="effective seccomp type")
    app_armor_profile: str | None = Field(default=None, description="effective AppArmor type")
    proc_mount: str | None = None
    windows_host_process: bool = False
    resources: Resources = Resources()
    probes: list[str] = Field(
        default_factory=list, description="probes present: liveness, readiness, startup"
    )
    ports: list[PortInfo] = []
    env_secret_literals: list[str] = Field(
        default_factory=list,
        description="env vars whose names look like credentials and carry a literal value",
    )


class VolumeInfo(BaseModel):
    """A pod volume: its name, its type (the source field) and that source's settings."""

    name: str
    type: str
    source: dict[str, Any] = {}


class PodInfo(BaseModel):
    """The pod spec of a Pod, a pod-template workload or a CronJob."""

    path: str = Field(description="dotted path of the pod spec, e.g. spec.jobTemplate.spec.template.spec")
    host_network: bool = False
    host_pid: bool = False
    host_ipc: bool = False
    host_users: bool | None = None
    security_context: dict[str, Any] = {}
    sysctls: list[str] = []
    service_account_name: str | None = None
    automount_service_account_token: bool | None = None
    volumes: list[VolumeInfo] = []
    containers: list[ContainerInfo] = []
    replicas: int | None = None

    @property
    def volumes_by_type(self) -> dict[str, list[str]]:
        """Volume names grouped by volume type."""
        grouped: dict[str, list[str]] = {}
        for volume in self.volumes:
            grouped.setdefault(volume.type, []).append(volume.name)
        return grouped


class ServiceInfo(BaseModel):
    """The exposure settings of a Service."""

    type: str = "ClusterIP"
    external_ips: list[str] = []
    node_ports: list[int] = []
    load_balancer_source_ranges: list[str] = []
    external_name: str | None = None


class IngressInfo(BaseModel):
    """An Ingress's hosts and which of them TLS covers."""

    hosts: list[str] = []
    tls_hosts: list[str] = []
    uncovered_hosts: list[str] = Field(default_factory=list, description="rule hosts no spec.tls entry lists")
    wildcard_hosts: list[str] = []
    missing_host: bool = Field(default=False, description="a rule without a host (matches every host)")
    ingress_class: str | None = None


class RbacRule(BaseModel):
    """One rule of a Role or ClusterRole."""

    api_groups: list[str] = []
    resources: list[str] = []
    verbs: list[str] = []
    resource_names: list[str] = []
    non_resource_urls: list[str] = []


class RbacSubject(BaseModel):
    """One subject of a RoleBinding or ClusterRoleBinding."""

    kind: str
    name: str
    namespace: str | None = None


class RbacInfo(BaseModel):
    """Rules (roles) or roleRef + subjects (bindings), with the wildcards found."""

    rules: list[RbacRule] = []
    wildcards: list[str] = Field(
        default_factory=list, description="which of verbs/resources/apiGroups hold '*'"
    )
    secrets_access: str | None = Field(default=None, description="read or write when a rule reaches secrets")
    role_ref: dict[str, str] | None = None
    subjects: list[RbacSubject] = []


class PdbInfo(BaseModel):
    """A PodDisruptionBudget's disruption settings."""

    min_available: int | str | None = None
    max_unavailable: int | str | None = None
    selector: dict[str, Any] = {}
    blocks_eviction: bool = Field(default=False, description="maxUnavailable 0 or minAvailable 100%")


class ObjectFeatures(BaseModel):
    """What the extractor sees on one object: identity, location, features and typed details."""

    kind: str
    apiVersion: str
    name: str = ""
    namespace: str | None = None
    file: str = ""
    line: int = 1
    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}
    features: list[str] = Field(default_factory=list, description='"key=value" strings (tools/features.py)')
    pod: PodInfo | None = None
    service: ServiceInfo | None = None
    ingress: IngressInfo | None = None
    rbac: RbacInfo | None = None
    pdb: PdbInfo | None = None

    @property
    def containers(self) -> list[ContainerInfo]:
        """Every container of the object (empty for kinds without a pod spec)."""
        return self.pod.containers if self.pod else []

    def location(self) -> str:
        return f"{self.file}:{self.line}"


class ExtractResult(BaseModel):
    """The features of every object loaded from some paths, plus the loading notes."""

    objects: list[ObjectFeatures] = []
    notes: list[Finding] = []
