"""The only place that runs policy binaries (opa, regal, gator, conftest).

Every run happens in a private temp dir, with a timeout, a minimal environment (no
API keys or proxies inherited) and, for OPA, a capabilities file without network or
runtime builtins.
"""

from tools.engine.binaries import ENGINES, EngineInfo, engine_info, tool_path
from tools.engine.conftest import conftest_test, conftest_verify
from tools.engine.gator import gator_test, gator_verify
from tools.engine.opa import opa_check, opa_eval, opa_fmt, opa_test
from tools.engine.parse import ParseResult, opa_parse
from tools.engine.regal import regal_lint

__all__ = [
    "ENGINES",
    "EngineInfo",
    "engine_info",
    "tool_path",
    "conftest_test",
    "conftest_verify",
    "gator_test",
    "gator_verify",
    "opa_check",
    "opa_eval",
    "opa_fmt",
    "opa_parse",
    "ParseResult",
    "opa_test",
    "regal_lint",
]
