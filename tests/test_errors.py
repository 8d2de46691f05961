"""errors.from_kernel: an evalnb error raised inside a section notebook keeps its class and exit code."""

import pytest

from evalnb import errors
from evalnb.errors import EvalnbError, from_kernel


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


@pytest.mark.parametrize("cls", sorted(set(_all_subclasses(EvalnbError)), key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_every_evalnb_error_crosses_the_kernel_with_its_exit_code(cls):
    rebuilt = from_kernel(cls.__name__, "规则文件 x.yaml 第3行：缺少 weight")
    assert type(rebuilt) is cls
    assert rebuilt.exit_code == cls.exit_code
    assert str(rebuilt) == "规则文件 x.yaml 第3行：缺少 weight"


def test_other_exceptions_are_not_evalnb_errors():
    assert from_kernel("KeyError", "'预算数'") is None
    assert from_kernel("ValueError", "x") is None


def test_a_rulebook_error_is_bad_input_not_a_failed_report():
    assert from_kernel("RulebookError", "x").exit_code == errors.RulebookError.exit_code == 2
    assert from_kernel("WorkbookError", "x").problems == ()
