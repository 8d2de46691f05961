"""The sample workbooks reproduce the facts of the seed report (shared/domain-rules.md §8)."""

import pytest

from evalnb.intake.ingest import ingest
from evalnb.store import data
from evalnb.text import fmt
from tests.helpers import SAMPLES


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'store.sqlite'}"
    ingest(SAMPLES, url)
    return url


def test_every_sample_loads(sample_db):
    assert data.departments(sample_db) == ["交通运输局", "农业农村局", "教育局", "科学技术局"]
    for dept in data.departments(sample_db):
        assert data.years(dept, sample_db) == [2023, 2024]


def test_seed_totals_and_execution_rate(sample_db):
    dy = data.load("科学技术局", 2024, sample_db)
    assert dy.total("budget") == 20094.62746
    assert dy.total("executed") == 19837.71876
    assert fmt.percent(dy.execution_rate) == "98.72%"
    assert dy.budget["name"].nunique() == 32
    assert set(dy.budget["source"]) == {"区本级财政", "上级转移支付"}
    assert not dy.is_sample and dy.declared_total == 100 and dy.declared_grade == "优秀"
    assert (dy.budget["executed"] <= dy.budget["budget"]).all()


def test_seed_indicator_facts_and_shares(sample_db):
    ind = data.load("科学技术局", 2024, sample_db).indicators.set_index("name")
    facts = {"认定高新技术企业数量": 336, "认定科技型中小企业数量": 1881, "其中国家级科技型中小企业数量": 898,
             "争取研发投入后补助省市专项资金": 2786.974, "研发投入后补助惠及企业数量": 443,
             "研发投入强度全国高新区综合评价单项排名": 17, "市级以上各类创新平台数量": 318,
             "其中国家级创新平台数量": 21, "获批省、市科技项目数量": 88, "争取科技项目专项资金": 4351,
             "技术合同成交额": 66.71, "累计上市企业数量": 11, "银企对接活动场次": 61, "银企对接融资金额": 5.88,
             "防范非法集资宣传活动场次": 202}
    for name, value in facts.items():
        assert ind.loc[name, "actual"] == value, name
    # as the seed writes them (issue 27, item 14): shares it states, approximate figures it gives as such
    shares = {name: [base for _, base in data.shares(ind.loc[name])]
              for name in ("认定高新技术企业数量", "认定科技型中小企业数量", "其中国家级科技型中小企业数量", "技术合同成交额",
                           "其中全国重点实验室数量", "累计上市企业数量")}
    assert shares == {"认定高新技术企业数量": ["27%"], "认定科技型中小企业数量": ["14%"],
                      "其中国家级科技型中小企业数量": ["21.6%"], "技术合同成交额": ["24.58%"],
                      "其中全国重点实验室数量": ["100%"], "累计上市企业数量": ["33%", "11%"]}
    approximate = {"创新积分精准画像科技型企业数量": (2700, "2700余家"), "科技金融服务中心累计服务企业数量": (9000, "9000余家"),
                   "企业通过创新积分获得授信金额": (10, "超10亿元")}
    for name, (scored_as, written) in approximate.items():
        assert (ind.loc[name, "actual"], ind.loc[name, "actual_text"]) == (scored_as, written), name
    assert ind["prior"].isna().all()            # the seed states no 上年 figure


def test_seed_team_and_texts(sample_db):
    dy = data.load("科学技术局", 2024, sample_db)
    assert len(dy.team) == 8
    assert list(dy.team["role"]).count("组长") == 1 and list(dy.team["role"]).count("副组长") == 3
    assert dy.text("存在问题") == ["无问题存在。"]
    assert "石高科[2019]49号" in dy.text("自评组织")[0]
    assert dy.prior is not None and dy.prior.is_sample
