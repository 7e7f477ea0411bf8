//! One small synthetic bulletin per structure rule of design.md. None of these texts occur in
//! the seeds: the rules must hold for bulletins the parser has never seen.

use kanbao::domain::corpus::Article;
use kanbao::domain::parse::{ParsedBulletin, SectionVocab, parse};

fn p(text: &str) -> ParsedBulletin {
    parse(text, &SectionVocab::bundled())
}

fn titles(b: &ParsedBulletin) -> Vec<&str> {
    b.articles.iter().map(|a| a.title.as_str()).collect()
}

fn one(b: &ParsedBulletin, title: &str) -> Article {
    b.articles
        .iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("no article {title:?} in {:?}", titles(b)))
        .clone()
}

const GAP: &str = "\n\n\n\n";

#[test]
fn a_caption_after_its_article_goes_back_to_it() {
    let text = format!(
        "南川区职工篮球赛落幕\n\n10月8日,南川区职工篮球赛在区体育馆落幕,共有16支球队参赛。\n\n比赛期间,各队奋勇拼搏,展现了职工风采。{GAP}南川区职工篮球赛颁奖现场\n\n铜梁区开展安全生产知识竞赛\n\n10月9日,铜梁区总工会举办安全生产知识竞赛。"
    );
    let b = p(&text);
    assert_eq!(titles(&b), ["南川区职工篮球赛落幕", "铜梁区开展安全生产知识竞赛"]);
    assert_eq!(one(&b, "南川区职工篮球赛落幕").captions, ["南川区职工篮球赛颁奖现场"]);
    assert_eq!(one(&b, "南川区职工篮球赛落幕").caption_at, [2], "after both paragraphs");
    assert!(one(&b, "铜梁区开展安全生产知识竞赛").captions.is_empty());
}

#[test]
fn a_caption_before_its_article_goes_forward_to_it() {
    let text = format!(
        "南川区职工篮球赛落幕\n\n10月8日,南川区职工篮球赛在区体育馆落幕。{GAP}安全知识竞赛答题环节\n\n铜梁区开展安全生产知识竞赛\n\n10月9日,铜梁区总工会举办安全生产知识竞赛,答题环节紧张激烈。"
    );
    let b = p(&text);
    assert_eq!(titles(&b), ["南川区职工篮球赛落幕", "铜梁区开展安全生产知识竞赛"]);
    assert_eq!(one(&b, "铜梁区开展安全生产知识竞赛").captions, ["安全知识竞赛答题环节"]);
    assert!(one(&b, "南川区职工篮球赛落幕").captions.is_empty());
}

#[test]
fn captions_between_a_headline_and_its_body_belong_to_it() {
    let text = format!("职工书画展开幕{GAP}《山水》 李明{GAP}《秋韵》 王芳\n\n12月1日,职工书画展在文化宫开幕。");
    let b = p(&text);
    assert_eq!(titles(&b), ["职工书画展开幕"]);
    assert_eq!(b.articles[0].captions, ["《山水》 李明", "《秋韵》 王芳"]);
}

#[test]
fn a_page_break_after_a_comma_is_joined() {
    let text = "江北区举办职工运动会\n\n经过两天的激烈角逐,\n\n机关代表队获得团体第一名。\n\n下一段落在此。";
    let b = p(text);
    assert_eq!(b.articles[0].paragraphs, ["经过两天的激烈角逐,机关代表队获得团体第一名。", "下一段落在此。"]);
}

#[test]
fn a_page_break_mid_word_is_joined() {
    let text = "标题在这里\n\n会议强调,要围绕中心工作,深入开展劳动和技能竞赛,大力弘扬劳模精神、劳动精神、工匠精神,持续打造\n\n渝工品牌,服务高质量发展。";
    let b = p(text);
    assert_eq!(b.articles[0].paragraphs.len(), 1);
    assert!(b.articles[0].paragraphs[0].contains("持续打造渝工品牌"));
}

#[test]
fn kicker_and_title() {
    let text = "喜迎新春：\n\n巫溪县总工会开展送温暖活动\n\n1月20日,巫溪县总工会走访慰问困难职工。";
    let a = &p(text).articles[0];
    assert_eq!(a.kicker.as_deref(), Some("喜迎新春："));
    assert_eq!(a.title, "巫溪县总工会开展送温暖活动");
    assert_eq!(a.subtitle, None);
}

#[test]
fn three_headline_lines_are_kicker_title_subtitle() {
    let text = "凝心聚力\n\n奋进新征程 建功新时代\n\n全市工会系统开展主题宣讲\n\n近日,全市工会系统开展主题宣讲。";
    let a = &p(text).articles[0];
    assert_eq!(a.kicker.as_deref(), Some("凝心聚力"));
    assert_eq!(a.title, "奋进新征程 建功新时代");
    assert_eq!(a.subtitle.as_deref(), Some("全市工会系统开展主题宣讲"));
}

#[test]
fn a_marked_heading_with_a_subtitle() {
    let text = "## 匠心筑梦 技能报国\n\n潼南区总工会举办职业技能大赛\n\n5月10日,潼南区总工会举办职业技能大赛。\n\n## 第二篇 标题\n\n正文第二篇。";
    let b = p(text);
    assert_eq!(titles(&b), ["匠心筑梦 技能报国", "第二篇 标题"]);
    assert_eq!(b.articles[0].subtitle.as_deref(), Some("潼南区总工会举办职业技能大赛"));
    assert_eq!(b.articles[0].kicker, None);
}

#[test]
fn a_shallower_mark_over_a_deeper_one_is_a_section() {
    let text = "# 工会动态\n\n## 荣昌区召开工会工作会\n\n3月2日,荣昌区召开工会工作会。";
    let b = p(text);
    assert_eq!(titles(&b), ["荣昌区召开工会工作会"]);
    assert_eq!(b.articles[0].section.as_deref(), Some("工会动态"));
}

#[test]
fn a_picture_item_without_headline_gets_its_first_sentence() {
    let text = format!(
        "图片新闻{GAP}春暖花开,职工健步行。4月2日,梁平区总工会举办职工健步走活动。{GAP}秋高气爽,球场竞风流。9月5日,武隆区举办职工气排球赛。"
    );
    let b = p(&text);
    assert_eq!(titles(&b), ["春暖花开,职工健步行", "秋高气爽,球场竞风流"]);
    assert!(b.articles.iter().all(|a| a.title_derived && a.section.as_deref() == Some("图片新闻")));
}

#[test]
fn a_qr_prompt_is_furniture() {
    let text = "标题一则\n\n正文一段。\n\n扫码报名参加活动\n\n标题二则\n\n正文二段。";
    let b = p(text);
    assert_eq!(titles(&b), ["标题一则", "标题二则"]);
    assert_eq!(b.furniture, ["扫码报名参加活动"]);
    assert!(b.articles.iter().all(|a| a.captions.is_empty() && a.paragraphs.len() == 1));
}

#[test]
fn section_labels_apply_to_the_articles_that_follow() {
    let text = "渝工暖心\n\n送清凉活动启动\n\n7月1日,送清凉活动启动。\n\n困难职工得到帮扶\n\n7月2日,帮扶资金发放。\n\n渝工维权\n\n法律援助进企业\n\n7月3日,法律援助进企业。";
    let b = p(text);
    let sections: Vec<_> = b.articles.iter().map(|a| a.section.as_deref()).collect();
    assert_eq!(sections, [Some("渝工暖心"), Some("渝工暖心"), Some("渝工维权")]);
}

#[test]
fn an_unknown_label_is_found_by_position() {
    // Two stacked labels the vocabulary does not know, over a headline.
    let text = "工会速递\n\n基层声音\n\n丰都县召开职代会\n\n4月1日,丰都县召开职代会。";
    let b = p(text);
    assert_eq!(titles(&b), ["丰都县召开职代会"]);
    assert_eq!(b.labels, ["工会速递", "基层声音"]);
    assert_eq!(b.articles[0].section.as_deref(), Some("基层声音"));
}

#[test]
fn punctuation_styles_parse_alike() {
    let full = "会议召开（扩大）\n\n会议指出，要抓好落实；\n\n要强化担当。";
    let ascii = "会议召开(扩大)\n\n会议指出,要抓好落实;\n\n要强化担当.";
    let (a, b) = (p(full), p(ascii));
    assert_eq!(a.articles.len(), 1);
    assert_eq!(b.articles.len(), 1);
    assert_eq!(a.articles[0].paragraphs.len(), 1);
    assert_eq!(b.articles[0].paragraphs.len(), 1);
}

#[test]
fn numbered_points_stay_in_the_body() {
    let text = "全市工会部署重点工作\n\n会议部署了三项重点工作。\n\n一、强化思想引领\n\n要深入学习。\n\n二、服务职工群众\n\n要办好实事。";
    let b = p(text);
    assert_eq!(titles(&b), ["全市工会部署重点工作"]);
    assert_eq!(b.articles[0].paragraphs.len(), 5);
}

#[test]
fn an_image_inside_an_article_does_not_split_it() {
    let text = format!("巴南区举办技能大赛\n\n比赛第一天,选手们同台竞技。{GAP}技能大赛现场{GAP}比赛第二天,决赛举行。");
    let b = p(&text);
    assert_eq!(titles(&b), ["巴南区举办技能大赛"]);
    assert_eq!(b.articles[0].paragraphs.len(), 2);
    assert_eq!(b.articles[0].captions, ["技能大赛现场"]);
    assert_eq!(b.articles[0].caption_at, [1], "the picture stands between the two paragraphs");
}

#[test]
fn marked_captions_by_form() {
    let text = format!(
        "前文标题\n\n前文正文。{GAP}▲舞蹈《山城》(渝中区)\n\n渝中区职工舞蹈大赛举行\n\n舞蹈《山城》获得一等奖。"
    );
    let b = p(&text);
    assert_eq!(titles(&b), ["前文标题", "渝中区职工舞蹈大赛举行"]);
    assert_eq!(b.articles[1].captions, ["▲舞蹈《山城》(渝中区)"]);
}

#[test]
fn headings_without_a_body_still_make_articles() {
    let b = p("只有一行标题");
    assert_eq!(titles(&b), ["只有一行标题"]);
    assert!(p("").articles.is_empty());
    assert!(p("\n\n  \n").articles.is_empty());
}

#[test]
fn crlf_free_text_with_many_blank_lines_at_start() {
    let b = p("\n\n\n\n\n\n标题\n\n正文。");
    assert_eq!(titles(&b), ["标题"]);
    assert_eq!(b.articles[0].line, 7);
}
