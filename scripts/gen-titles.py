#!/usr/bin/env python3
"""Writes N synthetic Chongqing trade-union bulletin titles, one per line, for finder benchmarks.

    scripts/gen-titles.py 1000000 > /tmp/titles-1m.txt
    scripts/gen-titles.py 100000 --seed 7 -o /tmp/titles-100k.txt

Python 3 standard library only. The same seed gives the same file on every machine. The titles
mix the shapes seen in the bulletins: a district or union body, an action, an event, sometimes
a quoted campaign name, a date or a figure, and a second clause after a space.
"""

import argparse
import random
import sys

DISTRICTS = (
    "万州区 黔江区 涪陵区 渝中区 大渡口区 江北区 沙坪坝区 九龙坡区 南岸区 北碚区 綦江区 大足区 渝北区 巴南区 "
    "长寿区 江津区 合川区 永川区 南川区 璧山区 铜梁区 潼南区 荣昌区 开州区 梁平区 武隆区 城口县 丰都县 垫江县 "
    "忠县 云阳县 奉节县 巫山县 巫溪县 石柱土家族自治县 秀山土家族苗族自治县 酉阳土家族苗族自治县 "
    "彭水苗族土家族自治县 两江新区 西部科学城重庆高新区 万盛经开区 秀山县 石柱县 酉阳县 彭水县"
).split()
BODIES = ["总工会", "工会", "职工服务中心", "女职工委员会", "工人文化宫", "劳模协会", "机关工会", "产业工会"]
CITY = ["市总工会", "重庆市总工会", "市国防邮电工会", "市化医农林水利工会", "市教科文卫体工会", "全市各级工会"]
ACTIONS = ["举办", "开展", "召开", "启动", "发布", "组织", "举行", "推进", "表彰", "走访慰问"]
EVENTS = [
    "职工技能大赛", "劳动和技能竞赛", "职工文艺展演", "劳模工匠宣讲活动", "职工运动会", "健步走活动",
    "“金秋助学”活动", "送清凉活动", "困难职工帮扶", "工会干部培训班", "常委(扩大)会议", "职工之家建设",
    "户外劳动者服务站点亮", "心理健康讲座", "新就业形态劳动者入会", "安康杯竞赛", "职工书屋读书会",
    "劳模精神进校园", "春送岗位招聘会", "快递员技能比赛", "庆五一文体嘉年华", "普法宣传周",
]
CAMPAIGNS = ["“渝工港湾·爱心驿站”", "“中国梦·劳动美”", "“劳模三进”", "“惠民强企”", "“最美产业工人”", "“渝工之家”"]
TAILS = [
    "全面建设现代化新重庆", "奋进新征程 勇担新使命", "展现职工风采", "凝聚“渝工”奋斗力量", "服务职工暖人心",
    "助力成渝地区双城经济圈建设", "劳模精神鼓干劲", "匠心筑梦 强国有我", "打造渝工品牌",
]


def title(rng: random.Random) -> str:
    r = rng.random()
    who = rng.choice(DISTRICTS) + rng.choice(BODIES) if r < 0.7 else rng.choice(CITY)
    head = who + rng.choice(ACTIONS)
    if rng.random() < 0.25:
        head += rng.choice(CAMPAIGNS)
    head += rng.choice(EVENTS)
    if rng.random() < 0.3:
        head = f"{rng.randint(2019, 2025)}年" + head
    if rng.random() < 0.15:
        head = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日 " + head
    if rng.random() < 0.45:
        head += " " + rng.choice(TAILS)
    if rng.random() < 0.1:
        head += f" {rng.randint(2, 500)}名职工参加"
    return head


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of titles")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    with out:
        out.writelines(title(rng) + "\n" for _ in range(args.n))


if __name__ == "__main__":
    main()
