"""Plain helpers the tests share: paths, workbook content, the CLI runner. Fixtures live in conftest.py; no
test module imports another."""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from evalnb.intake.blank import write_workbook
from evalnb.intake.ingest import ingest
from evalnb.paths import CACHE_DIR, OUTPUTS, STORE_FILE
from evalnb.report.cache import key_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
SEED_SAMPLE = ROOT / "data" / "sample" / "科学技术局_2024.xlsx"


def minimal_content() -> dict[str, list[dict]]:
    """A small valid department-year, keyed by sheet and column header as a user types them."""
    return copy.deepcopy({
        "基本信息": [{"字段": "部门名称", "内容": "测试局"}, {"字段": "年度", "内容": 2024}],
        "文字材料": [{"章节": "主要职能", "内容": "负责测试工作。"},
                    {"章节": "存在问题", "内容": "项目甲执行进度偏慢。"},
                    {"章节": "改进措施", "内容": "按月调度项目进度。"}],
        "项目支出": [
            {"项目名称": "项目甲", "项目类别": "业务", "资金来源": "区本级财政", "年初预算数（万元）": 100,
             "全年预算数（万元）": 100, "全年执行数（万元）": 95},
            {"项目名称": "项目乙", "项目类别": "运转", "资金来源": "上级转移支付", "年初预算数（万元）": 50,
             "全年预算数（万元）": 60, "全年执行数（万元）": 60},
        ],
        "绩效指标": [
            {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训人次", "指标性质": "定量",
             "指标方向": "≥", "年度指标值": 100, "实际完成值": 120, "计量单位": "人次", "分值": 50},
            {"一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "服务水平", "指标性质": "定性",
             "年度指标值": "服务水平提升", "实际完成值": "达成年度指标", "分值": 30},
            {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "满意度", "指标性质": "定量",
             "指标方向": ">=", "年度指标值": "90%", "实际完成值": "92%", "计量单位": "%", "分值": 10},
        ],
        "评价工作组": [{"姓名": "张三", "工作单位": "测试局", "职务": "局长", "组内分工": "组长"}],
    })


def project_at(root: Path) -> dict:
    """What tests know of a project: its folder, store URL, the environment that points evalnb at it."""
    db = f"sqlite:///{root / OUTPUTS / STORE_FILE}"
    return {"root": root, "db": db, "env": {"EVALNB_ROOT": str(root)}, "tmp": root.parent}


def new_project(root: Path, contents: list[dict] | None = None, samples: bool = False,
                template: dict | None = None) -> dict:
    """A project of its own: copied notebooks, its own outputs/ and store, holding the samples (ingested here, or
    copied from ``template``'s store with whatever of its section cache there is) and/or workbooks written from
    ``contents``. The one way tests make a project (conftest.py's fixtures call it)."""
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "evalnb").mkdir()   # project_root() looks for notebooks/ and evalnb/
    made = project_at(root)
    (root / OUTPUTS).mkdir()
    if template is not None:
        shutil.copyfile(template["root"] / OUTPUTS / STORE_FILE, root / OUTPUTS / STORE_FILE)
        warm_up(made, template)
    paths = [*(SAMPLES if samples and template is None else []),
             *(write_workbook(root.parent / f"{root.name}-wb{i}.xlsx", c) for i, c in enumerate(contents or []))]
    if paths or template is None:
        ingest(paths, made["db"])
    return made


def warm_up(project: dict, template: dict) -> None:
    """Give a project holding a copy of the template's store the template's section cache and the cache's key, as
    moving a project does (its sections were made from the same store): its first report reuses every section
    the template rendered. Nothing is copied into a project that has a cache key of its own already."""
    if not template.get("rendered"):        # still being rendered (by another test worker) or never
        return
    source, target = template["root"] / OUTPUTS, project["root"] / OUTPUTS
    key, template_key = key_file(target), key_file(source)
    if key != template_key and key.exists():
        return
    if key != template_key:                 # else EVALNB_CACHE_KEY names one key for both
        key.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key.write_bytes(template_key.read_bytes())
        key.chmod(0o600)
    shutil.copytree(source / CACHE_DIR, target / CACHE_DIR, dirs_exist_ok=True)


def evalnb(*args, env=None):
    return subprocess.run([sys.executable, "-m", "evalnb.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def workbook_content(department: str = "测试局", flavour: str = "甲", executed: float = 95) -> dict:
    """A small department-year whose every section shows which flavour it is."""
    content = minimal_content()
    content["基本信息"][0]["内容"] = department
    content["文字材料"] = [{"章节": "主要职能", "内容": f"负责{flavour}类工作。"}]
    content["项目支出"][0]["全年执行数（万元）"] = executed
    content["评价工作组"] = [{"姓名": f"{flavour}组长", "工作单位": department, "职务": "局长", "组内分工": "组长"}]
    return content


# A workbook transcribed from a published table (test_published_tables, test_rules, test_rules_edges).
def row(level1, level2, name, nature, target, actual, weight, unit=None, direction=None):
    return {"一级指标": level1, "二级指标": level2, "三级指标": name, "指标性质": nature, "指标方向": direction,
            "年度指标值": target, "实际完成值": actual, "计量单位": unit, "分值": weight}


# 霍邱县科学技术局 2022 项目支出绩效自评表, 科技特派员创业行动经费 (https://www.wjbhcs.com/public/6600241/36762723.html):
# 25 / 25 / 25 万元, 执行率 100% → 10.00; every row full; 总分 100 (the 生态效益 row prints an unreadable "0": left out)
HUOQIU = [
    row("产出指标", "数量指标", "开展县域结对交流活动", "定量", "≥3次", 3, 10),
    row("产出指标", "质量指标", "科技特派员创业能力提升", "定性", "创业能力提升", "达成预期指标", 20),
    row("产出指标", "时效指标", "2022年底之前", "定性", "2022年底之前", "达成预期指标", 10),
    row("产出指标", "成本指标", "科技特派员业务培训开展", "定量", "≥5万元", 5, 10),
    row("效益指标", "经济效益指标", "带动农民增收", "定性", "农民增收", "达成预期指标", 10),
    row("效益指标", "社会效益指标", "巩固拓展脱贫攻坚成果", "定性", "巩固拓展脱贫攻坚成果", "达成预期指标", 10),
    row("效益指标", "可持续影响指标", "科技特派员创业行动能力持续提升", "定性", "能力持续提升", "达成预期指标", 10),
    row("满意度指标", "满意度指标", "群众创业热情高涨", "定性", "创业热情高涨", "达成预期指标", 10),
]
# 永德县明朗中学 2022 项目支出绩效自评表, 义务教育营养改善计划 (https://www.yongde.gov.cn/info/3003/116104.htm):
# 产出 40 / 效益 30 / 满意度 20, published 总分 96
YONGDE = [
    row("产出指标", "数量指标", "学生受资助人数", "定量", 735, 735, 10, "人次", "≥"),
    row("产出指标", "质量指标", "营养改善计划覆盖率", "定量", 100, "100%", 10, "%", "≥"),
    row("产出指标", "时效指标", "资金到位及时率", "定量", 100, "100%", 10, "%", "≥"),
    row("产出指标", "成本指标", "生均补助标准达标率", "定量", 100, "100%", 10, "%", "="),
    row("效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", "定性", "有效", "达成年度指标", 10),
    row("效益指标", "社会效益指标", "政策知晓率", "定量", 100, "98%", 10, "%", "="),
    row("效益指标", "可持续影响指标", "促进学校教育事业健康发展", "定量", 100, "100%", 10, "%", "≥"),
    row("满意度指标", "服务对象满意度指标", "学生满意度", "定量", 95, "100%", 10, "%", "≥"),
    row("满意度指标", "服务对象满意度指标", "家长满意度", "定量", 95, "100%", 10, "%", "≥"),
]


def workbook(tmp_path, rules, budget, executed, indicators, name="测试局", sheets=None):
    content = {
        "基本信息": [{"字段": "部门名称", "内容": name}, {"字段": "年度", "内容": 2022},
                 {"字段": "评分规则", "内容": rules}],
        "文字材料": [{"章节": "主要职能", "内容": "（见所引页面）"}],
        "项目支出": [{"项目名称": "项目", "项目类别": "业务", "资金来源": "本级财政", "年初预算数（万元）": budget,
                  "全年预算数（万元）": budget, "全年执行数（万元）": executed}],
        "绩效指标": indicators,
        "评价工作组": [{"姓名": "（页面未列）", "工作单位": name, "组内分工": "组长"}],
        **(sheets or {}),
    }
    return write_workbook(tmp_path / f"{name}_2022.xlsx", content)


def trivial_notebooks(root: Path) -> None:
    """Make a project's notebooks trivial (their parameters cell and one tiny cell each): for tests of what
    the host process does around a kernel per report, not of what the sections show."""
    import nbformat

    for path in (root / "notebooks").rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        kept = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        nb.cells = [*kept, nbformat.v4.new_code_cell('print("ok")')]
        nbformat.write(nb, path)


def fuzz_seed() -> int:
    """``EVALNB_FUZZ_SEED`` if set, else derived from the commit under test (random outside a git checkout)."""
    if seed := os.environ.get("EVALNB_FUZZ_SEED"):
        return int(seed)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode == 0 and head.stdout.strip():
        return int(head.stdout.strip()[:8], 16)
    import random

    return random.SystemRandom().randrange(2**32)


def _processes() -> dict[int, tuple[int, str, str]]:
    """Every process: pid → (parent pid, state, command line)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(stat.parent.name)] = (int(fields[1]), fields[0], cmdline)
    return found


def descendants(pid: int, pattern: str = "") -> set[int]:
    """The live processes below ``pid`` (children, grandchildren …) whose command line holds ``pattern``:
    what a test started, not what other tests running beside it on the machine started."""
    table = _processes()
    below, pending = set(), [pid]
    while pending:
        parent = pending.pop()
        for child, (ppid, _, _) in table.items():
            if ppid == parent and child not in below:
                below.add(child)
                pending.append(child)
    return {p for p in below if table[p][1] != "Z" and pattern in table[p][2]}


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (zombies count as gone)."""
    table = _processes()
    return {p for p in pids if p in table and table[p][1] != "Z"}


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=120).stdout


def clone_checkout(target: Path, venv: Path | None = None) -> Path:
    """A git clone of this checkout with its uncommitted changes committed on top (so a test checks the tree as it
    is), and, with ``venv``, the notebook filter `make setup` configures, run by that venv's Python."""
    git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(target), cwd=target.parent)
    for path in git("ls-files", "--modified", "--others", "--exclude-standard", cwd=ROOT).splitlines():
        if (ROOT / path).is_file():
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            (target / path).write_bytes((ROOT / path).read_bytes())
    for path in git("ls-files", "--deleted", cwd=ROOT).splitlines():
        (target / path).unlink(missing_ok=True)
    if venv is not None:
        subprocess.run(["make", "--no-print-directory", "git-filters", f"VENV={venv}"], cwd=target, check=True,
                       capture_output=True, timeout=120)
    git("add", "-A", cwd=target)
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "--allow-empty", "-m", "tree",
        cwd=target)
    return target
