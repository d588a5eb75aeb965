"""Manifests to typed features: safe loading (files, folders, globs, stdin) and feature extraction."""

from tools.extract.extract import extract_features, extract_paths
from tools.extract.images import parse_image
from tools.extract.load import load_manifests
from tools.extract.models import (
    ContainerInfo,
    ExtractResult,
    ImageRef,
    IngressInfo,
    Limits,
    LoadResult,
    ObjectFeatures,
    PdbInfo,
    PodInfo,
    RbacInfo,
    ServiceInfo,
    SourcedObject,
)

__all__ = [
    "ContainerInfo",
    "ExtractResult",
    "ImageRef",
    "IngressInfo",
    "Limits",
    "LoadResult",
    "ObjectFeatures",
    "PdbInfo",
    "PodInfo",
    "RbacInfo",
    "ServiceInfo",
    "SourcedObject",
    "extract_features",
    "extract_paths",
    "load_manifests",
    "parse_image",
]
