"""extract_features: typed details and feature strings that line up with the corpus meta.yaml."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tools.bundle import examples, expected_violation, sample_dirs
from tools.corpus.load import Exemplar, load_corpus
from tools.extract import extract_features, extract_paths, parse_image
from tools.features import is_known, split_feature


def _obj(text: str) -> dict[str, Any]:
    return yaml.safe_load(text)


CRONJOB = _obj(
    """
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: jobs, labels: {team: data}}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            container.apparmor.security.beta.kubernetes.io/main: unconfined
            seccomp.security.alpha.kubernetes.io/pod: unconfined
        spec:
          hostPID: true
          securityContext: {runAsNonRoot: true, runAsUser: 1000}
          initContainers:
            - name: setup
              image: registry.example.com:5000/tools/setup
              securityContext: {privileged: true, runAsUser: 0}
          containers:
            - name: main
              image: ghcr.io/acme/job:1.2@sha256:abc
              imagePullPolicy: Always
              securityContext:
                runAsNonRoot: false
                allowPrivilegeEscalation: false
                capabilities: {add: [cap_net_admin], drop: [ALL]}
                seccompProfile: {type: RuntimeDefault}
              resources: {limits: {cpu: "1", memory: 1Gi}}
              env:
                - {name: DB_PASSWORD, value: hunter2}
                - {name: API_TOKEN, valueFrom: {secretKeyRef: {name: s, key: k}}}
              ports: [{containerPort: 80, hostPort: 8080}]
          ephemeralContainers:
            - name: debug
              image: busybox
          volumes:
            - name: host
              hostPath: {path: /var/run/docker.sock}
            - name: scratch
            - name: cfg
              configMap: {name: cfg}
"""
)


def test_cronjob_containers_of_every_kind_with_paths() -> None:
    found = extract_features(CRONJOB, file="jobs.yaml", line=3)
    assert (found.kind, found.name, found.namespace, found.location()) == (
        "CronJob",
        "nightly",
        "jobs",
        "jobs.yaml:3",
    )
    prefix = "spec.jobTemplate.spec.template.spec"
    assert [(c.name, c.field, c.path) for c in found.containers] == [
        ("main", "containers", f"{prefix}.containers[0]"),
        ("setup", "initContainers", f"{prefix}.initContainers[0]"),
        ("debug", "ephemeralContainers", f"{prefix}.ephemeralContainers[0]"),
    ]
    assert found.pod is not None and found.pod.path == prefix and found.pod.host_pid


def test_effective_security_context_container_over_pod() -> None:
    main, setup, debug = extract_features(CRONJOB).containers
    assert (main.run_as_non_root, main.run_as_user) == (False, 1000)  # own false beats the pod's true
    assert (setup.run_as_non_root, setup.run_as_user, setup.privileged) == (True, 0, True)
    assert (debug.run_as_non_root, debug.run_as_user) == (True, 1000)  # inherited from the pod
    assert main.capabilities_add == ["NET_ADMIN"] and main.capabilities_drop == ["ALL"]
    assert main.seccomp_profile == "RuntimeDefault"  # the field wins over the legacy annotation
    assert setup.seccomp_profile == "Unconfined"  # only the pod annotation applies
    assert main.app_armor_profile == "Unconfined" and setup.app_armor_profile is None
    assert main.env_secret_literals == ["DB_PASSWORD"]
    assert main.resources.limits == {"cpu": "1", "memory": "1Gi"} and main.resources.requests == {}
    assert [(p.container_port, p.host_port) for p in main.ports] == [(80, 8080)]


def test_volumes_by_type() -> None:
    pod = extract_features(CRONJOB).pod
    assert pod is not None
    assert pod.volumes_by_type == {"hostPath": ["host"], "emptyDir": ["scratch"], "configMap": ["cfg"]}


def test_cronjob_features() -> None:
    features = set(extract_features(CRONJOB).features)
    expected = {
        "hostPID=true",
        "securityContext.privileged=true",
        "securityContext.runAsUser=0",
        "securityContext.runAsNonRoot=false",
        "securityContext.capabilities.add=NET_ADMIN",
        "securityContext.seccompProfile=unconfined",
        "securityContext.appArmorProfile=unconfined",
        "ports.hostPort=8080",
        "volumes.type=hostPath",
        "volumes.hostPath=/var/run/docker.sock",
        "image.tag=missing",
        "image.registry=registry.example.com:5000",
        "image.repository=library/busybox",
        "env.secretLiteral=true",
        "resources.limits.cpu=set",
        "resources.requests.cpu=missing",
        "containers.initContainers=true",
        "containers.ephemeralContainers=true",
        "labels=team",
        "metadata.namespace=jobs",
        "imagePullPolicy=always",
    }
    assert expected <= features
    assert all(is_known(f) for f in features)


@pytest.mark.parametrize(
    ("ref", "registry", "repository", "tag", "digest", "implicit_tag"),
    [
        ("nginx", "docker.io", "library/nginx", "latest", None, True),
        ("nginx:1.25", "docker.io", "library/nginx", "1.25", None, False),
        ("bitnami/redis:7", "docker.io", "bitnami/redis", "7", None, False),
        ("localhost/app", "localhost", "app", "latest", None, True),
        ("registry.example.com:5000/team/app", "registry.example.com:5000", "team/app", "latest", None, True),
        (
            "registry.example.com:5000/team/app:1.2@sha256:ab",
            "registry.example.com:5000",
            "team/app",
            "1.2",
            "sha256:ab",
            False,
        ),
        ("ghcr.io/acme/app@sha256:cd", "ghcr.io", "acme/app", None, "sha256:cd", False),
        ("docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", None, False),
    ],
)
def test_image_references(
    ref: str, registry: str, repository: str, tag: str | None, digest: str | None, implicit_tag: bool
) -> None:
    image = parse_image(ref)
    assert (image.registry, image.repository, image.tag, image.digest, image.implicit_tag) == (
        registry,
        repository,
        tag,
        digest,
        implicit_tag,
    )


def test_service_ingress_rbac_and_pdb_details() -> None:
    service = extract_features(
        _obj(
            "{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {type: NodePort, externalIPs: [1.2.3.4], ports: [{port: 80, nodePort: 30080}]}}"
        )
    )
    assert service.service is not None and service.service.node_ports == [30080]
    assert {"service.type=nodeport", "service.externalIPs=set"} <= set(service.features)

    ingress = extract_features(
        _obj(
            """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: web}
spec:
  tls: [{hosts: ["*.example.com"]}]
  rules: [{host: a.example.com}, {host: "*.other.com"}, {http: {}}]
"""
        )
    )
    assert ingress.ingress is not None
    assert ingress.ingress.uncovered_hosts == ["*.other.com"] and ingress.ingress.missing_host
    assert {"ingress.tls=missing", "ingress.host=wildcard", "ingress.host=missing"} <= set(ingress.features)

    role = extract_features(
        _obj(
            "{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: r}, rules: [{apiGroups: ['*'], resources: [secrets], verbs: [get]}]}"
        )
    )
    assert (
        role.rbac is not None and role.rbac.wildcards == ["apiGroups"] and role.rbac.secrets_access == "read"
    )
    assert "metadata.namespace=unset" not in role.features  # cluster-scoped

    binding = extract_features(
        _obj(
            """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: "system:authenticated"}]
"""
        )
    )
    assert {"rbac.roleRef=cluster-admin", "rbac.subject=group:system:authenticated"} <= set(binding.features)

    pdb = extract_features(
        _obj(
            "{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: p}, spec: {maxUnavailable: 0}}"
        )
    )
    assert pdb.pdb is not None and pdb.pdb.blocks_eviction and "pdb.maxUnavailable=0" in pdb.features


def test_malformed_fields_read_as_empty() -> None:
    odd = extract_features(
        _obj(
            "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {template: {spec: {containers: [{name: c, securityContext: 5, resources: [1]}], volumes: 3}}}}"
        )
    )
    (container,) = odd.containers
    assert container.image is None and container.security_context == {} and odd.pod is not None
    assert odd.pod.replicas == 1  # a Deployment's default


def test_extract_paths_keeps_locations_and_notes() -> None:
    from scan_support import DEMO

    result = extract_paths([DEMO])
    by_name = {(o.kind, o.name): o for o in result.objects}
    assert by_name[("Pod", "debug-shell")].line == 11
    assert "securityContext.privileged=true" in by_name[("Pod", "debug-shell")].features
    assert [n.id for n in result.notes] == ["extract/not-kubernetes"]


CORPUS = load_corpus()


@pytest.mark.parametrize("exemplar", CORPUS, ids=[ex.id for ex in CORPUS])
def test_corpus_feature_keys_show_up_on_disallowed_samples(exemplar: Exemplar) -> None:
    """Every feature key a policy lists is emitted for at least one of its disallowed samples."""
    wanted = {split_feature(f)[0] for f in exemplar.meta.get("features", []) or []}
    seen: set[str] = set()
    for sample in sample_dirs(exemplar.path):
        for example in examples(sample):
            if expected_violation(example):
                seen |= {split_feature(f)[0] for o in extract_paths([example]).objects for f in o.features}
    assert wanted <= seen, (
        f"keys never extracted from {exemplar.id}'s disallowed samples: {sorted(wanted - seen)}"
    )


def test_privileged_sample_yields_the_corpus_feature() -> None:
    ex = next(e for e in CORPUS if e.id == "privileged-containers")
    meta = set(ex.meta["features"])
    samples = [p for s in sample_dirs(ex.path) for p in examples(s) if expected_violation(p)]
    assert all(meta & set(extract_paths([p]).objects[0].features) for p in samples)
