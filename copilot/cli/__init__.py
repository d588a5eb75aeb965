"""The `kpc` command. Subcommands load lazily, so `kpc scan` never pays for torch or langgraph."""

from __future__ import annotations

import importlib
import os
import sys

import click

from copilot import __version__
from tools.errors import KpcError

# name -> (module:attribute, one-line help). The help lives here so `kpc --help`
# imports no subcommand module.
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("copilot.cli.ask:ask", "Draft a verified policy from a plain-English request."),
    "chat": ("copilot.cli.chat:chat", "Open the interactive terminal copilot."),
    "verify": ("copilot.cli.verify:verify", "Verify a policy bundle with opa, regal, gator and conftest."),
    "lint": ("copilot.cli.lint:lint", "Lint Rego with Regal plus Kubernetes-aware rules."),
    "scan": ("copilot.cli.scan:scan", "Evaluate manifests against policies (CI: SARIF, markdown)."),
    "explain": ("copilot.cli.explain:explain", "Explain why a manifest is denied and the smallest fix."),
    "extract": ("copilot.cli.extract:extract", "Show the policy-relevant features of manifests."),
    "index": ("copilot.cli.index:index", "Build or query the exemplar index."),
    "eval": ("copilot.cli.eval:eval_cmd", "Run eval suites and score the returned policies."),
    "doctor": ("copilot.cli.doctor:doctor", "Check engines, models, index and provider; print fixes."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        target, _ = COMMANDS[cmd_name]
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kpc")
def cli() -> None:
    """Kube PAC Copilot: Kubernetes admission policies (OPA Rego, Gatekeeper, conftest),
    drafted from plain English and verified by the real engines."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and a non-zero exit."""
    try:
        cli.main(args=argv, prog_name="kpc", standalone_mode=False)
    except KpcError as exc:
        click.echo(f"kpc: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("kpc: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("kpc: interrupted", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()  # `kpc` or `kpc index` alone: the help is the most useful answer
        sys.exit(1)
    except click.UsageError as exc:
        # One line like every other user error, naming the help that shows the right usage;
        # exit 1, because exit 2 means "findings" to CI.
        where = exc.ctx.command_path if exc.ctx else "kpc"
        message = " ".join(exc.format_message().split())
        click.echo(f"kpc: error: {message} (see `{where} --help`)", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"kpc: error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except UnicodeDecodeError as exc:
        click.echo(
            f"kpc: error: an input file is not UTF-8 text (byte {exc.start}); save it as UTF-8", err=True
        )
        sys.exit(1)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"kpc: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # the last net: a bug must still not print a traceback at the user
        if os.environ.get("KPC_DEBUG"):
            raise
        click.echo(
            f"kpc: internal error: {type(exc).__name__}: {exc} (rerun with KPC_DEBUG=1 for the traceback and report it)",
            err=True,
        )
        sys.exit(1)
