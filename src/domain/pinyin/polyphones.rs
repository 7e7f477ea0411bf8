//! Second readings that a Chinese reader expects a pinyin query to find, beyond the `pinyin`
//! crate's first (most common) reading: the well-known polyphones of common words and place
//! names. Deliberately short: every extra reading makes initials match more, and a dictionary's
//! rare readings (广 ān, 体 cuì, 彭 bāng, 草 zào) make `abc` find 广播体 and `bs` find 彭水.
//! Readings are plain (no tones), ü written `v` (the spelling machinery adds `u`).

pub(super) const EXTRA: &[(char, &[&str])] = &[
    ('重', &["chong"]), // 重庆, 重新 (first: zhong)
    ('长', &["chang"]), // 长寿, 长江 (first: zhang)
    ('行', &["hang"]),  // 银行, 行业
    ('会', &["kuai"]),  // 会计
    ('乐', &["yue"]),   // 音乐
    ('调', &["tiao"]),  // 调解, 调整
    ('还', &["huan"]),  // 还款
    ('了', &["liao"]),  // 了解
    ('都', &["du"]),    // 首都, 丰都
    ('大', &["dai"]),   // 大夫
    ('朝', &["zhao"]),  // 朝阳, 朝气
    ('藏', &["zang"]),  // 西藏
    ('得', &["dei"]),
    ('地', &["de"]),
    ('的', &["di"]), // 目的, 的确
    ('和', &["huo", "hu"]),
    ('着', &["zhao", "zhuo"]), // 着急, 着力
    ('传', &["zhuan"]),        // 传记
    ('强', &["jiang"]),        // 倔强
    ('参', &["shen", "cen"]),  // 人参, 参差
    ('便', &["pian"]),         // 便宜
    ('角', &["jue"]),          // 角色
    ('省', &["xing"]),         // 反省
    ('给', &["ji"]),           // 供给
    ('降', &["xiang"]),        // 投降
    ('解', &["xie"]),          // 解数, surname
    ('露', &["lou"]),          // 露面
    ('率', &["shuai"]),        // 率先
    ('模', &["mu"]),           // 模样
    ('塞', &["se"]),           // 堵塞
    ('厦', &["xia"]),          // 厦门
    ('似', &["si"]),           // 相似 (first: shi)
    ('宿', &["xiu"]),          // 星宿
    ('弹', &["tan"]),          // 弹性
    ('提', &["di"]),           // 提防
    ('系', &["ji"]),           // 系鞋带
    ('校', &["jiao"]),         // 校对
    ('血', &["xie"]),          // 血淋淋
    ('曾', &["zeng"]),         // surname
    ('扎', &["za"]),           // 扎实
    ('差', &["chai", "ci"]),   // 出差, 参差
    ('卡', &["qia"]),          // 关卡
    ('落', &["la", "lao"]),    // 落下, 落枕
    ('没', &["mo"]),           // 没收
    ('圈', &["juan"]),         // 猪圈
    ('色', &["shai"]),         // 掉色
    ('盛', &["cheng"]),        // 盛饭
    ('钥', &["yue"]),          // 钥匙 yao; 锁钥 yue
    ('仔', &["zi"]),           // 仔细
    ('薄', &["bo"]),           // 薄弱
    ('称', &["chen"]),         // 称心
    ('佛', &["fo"]),           // 佛教 (first: fu)
    ('泊', &["bo"]),           // 停泊 (first: po)
    ('伯', &["bai"]),          // 大伯子
    ('劲', &["jing"]),         // 劲旅
    ('俩', &["liang"]),        // 伎俩
    ('抹', &["ma"]),           // 抹布
    ('屏', &["bing"]),         // 屏息
    ('熟', &["shou"]),         // 熟 (colloquial)
    ('说', &["shui"]),         // 游说
    ('削', &["xiao"]),         // 削苹果
    ('轧', &["zha"]),          // 轧钢
    ('粘', &["nian"]),         // 粘贴
    ('单', &["shan", "chan"]), // surname 单, 单于
    ('奇', &["ji"]),           // 奇数
    ('蔚', &["yu"]),           // 蔚县
    ('六', &["lu"]),           // 六安
];
