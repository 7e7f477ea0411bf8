//! One root (the library folder or a PATH): its files from the parse cache when unchanged, the
//! others read and parsed a batch at a time, and the cache rewritten as they go. A parsed
//! batch's bodies go to the new cache file before the next batch is read, and memory keeps
//! their headlines only, as a run reading the cache would: a first run over 10,000 bulletins
//! (100 MB of text) holds one batch of text, not all of it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::{Found, FromFile, Problem, Source, parse_all_then, read_file};
use crate::domain::bodies::{self, BodyFile};
use crate::domain::corpus::{Body, Origin, StoredBody};
use crate::domain::detail::Detail;
use crate::domain::parse::SectionVocab;
use crate::domain::parse_cache::{
    CacheWriter, FileIdentity, Hit, Hits, Known, Parsed, Place, RootCache, codec, headlines_sum,
};
use crate::io::read::Budget;

/// A root's parse cache, what it held when the load began, what of it to keep, and what the
/// last load made that may be shared (`Known`).
pub(super) struct Root<'k> {
    pub cache: Option<RootCache>,
    pub cached: Option<Hits>,
    pub detail: Detail,
    pub known: Option<&'k Known>,
}

/// Files read and parsed together: their text, at most, is in memory at once (and their
/// parse), and each batch is worth a thread per core: at most this many files, about so many
/// bytes.
#[derive(Clone, Copy)]
struct Batch {
    files: usize,
    bytes: u64,
}

/// A first run's batches (each costs a little: a quarter the size took 6% longer).
const BATCH: Batch = Batch { files: 512, bytes: 4 << 20 };
/// A reload's: it parses beside the corpus on screen. After every file of 10,000 was copied
/// anew, the reader went from 69 MB to 108 MB with `BATCH`, to 91 MB with these (the text is
/// 97 MB).
const RELOAD_BATCH: Batch = Batch { files: 128, bytes: 1 << 20 };

/// Fresh bulletins whose body records are in the new cache file: their headlines as the
/// index keeps them (`codec::encode`), all in one buffer. Their parses are let go batch by
/// batch and their headlines decoded from here at the end, after the parsing's memory is free:
/// decoded beside it, they kept the reader 25 MB larger after a first run (a fragmented heap).
struct Written {
    headlines: Vec<u8>,
    /// Per slot: the file's, if it was written.
    at: Vec<Option<WrittenFile>>,
}

/// A written file's identity and name, where its record went, and its headlines, unless its
/// bulletin is in its slot already (its articles shared with the last load's, see `pack`).
struct WrittenFile {
    id: FileIdentity,
    name: String,
    place: Place,
    headlines: Option<Range<usize>>,
}

/// A file's bulletin: the file as it was, what it gave, and the CRC-32 of its cache entry's
/// headlines when that is known (what the next load shares it by, see `Known`).
struct Slot {
    id: FileIdentity,
    parsed: Parsed,
    sum: Option<u32>,
}

impl Slot {
    fn of(hit: Hit) -> Slot {
        Slot { id: hit.identity, parsed: hit.parsed, sum: hit.sum }
    }
}

impl Written {
    fn headlines(&self, i: usize) -> Option<&[u8]> {
        self.at[i].as_ref().and_then(|f| f.headlines.clone()).map(|r| &self.headlines[r])
    }
}

/// The files of one root (`found`, each as messages show it in `shown`, the name the cache
/// keeps it under): from its parse cache when unchanged, else read and parsed (and the cache
/// rewritten). Results in the files' order. Bulletins come with their bodies left in the
/// cache (`Body::Stored`) whenever the cache could be written; else whole. Returns whether a
/// file could not be read (a failure its identity may not show: a lock, permissions on
/// Windows, the load's budget).
pub(super) fn load_root(
    root: Root,
    found: &[Found],
    shown: Vec<String>,
    vocab: &SectionVocab,
    out: &mut Vec<FromFile>,
    problems: &mut Vec<Problem>,
    budget: &mut Budget,
) -> bool {
    let Root { cache, cached, detail, known } = root;
    // Every run after the first, as a rule: the cache holds these very files, unchanged, in
    // their order, and nothing else. Its hits are then the root's bulletins as they stand, and
    // nothing is read or written (each through a slot of its own, 10,000 of them took
    // milliseconds on one core, the other idle).
    let cached = match cached {
        Some(hits) if holds_exactly(&hits, &shown, found) => {
            // Each hit's path is the name its file is shown under (`holds_exactly`).
            crate::domain::parallel::drop_aside(shown);
            if out.is_empty() {
                *out = hits.parsed;
            } else {
                out.extend(hits.parsed);
            }
            return false;
        }
        other => other,
    };
    // As before batches: every file that cannot be read, then every one that does not parse.
    let mut read_failed = false;
    let mut parse_problems = Vec::new();
    let wanted: Vec<FileIdentity> = found.iter().map(|f| FileIdentity::of(&f.meta)).collect();
    let cached_entries = cached.as_ref().map_or(0, |h| h.entries);
    // Each file's bulletin, in the files' order: from the cache when the file is still the
    // same (size, times, inode, device), else read and parsed below.
    let mut slots: Vec<Option<Slot>> = found.iter().map(|_| None).collect();
    if let Some(hits) = cached {
        take_hits(hits.parsed, &shown, &wanted, &mut slots);
    }
    let from_cache: Vec<bool> = slots.iter().map(Option::is_some).collect();
    let mut written = Written { headlines: Vec::new(), at: found.iter().map(|_| None).collect() };
    let mut writer = Writer { cache: cache.as_ref(), w: None, tried: false, records: None };
    let todo: Vec<usize> = (0..found.len()).filter(|&i| slots[i].is_none()).collect();
    let mut fresh = false;
    let size = if known.is_some_and(|k| !k.is_empty()) { RELOAD_BATCH } else { BATCH };
    for batch in batches(&todo, found, size) {
        let mut sources = Vec::new();
        let mut slot_of = Vec::new();
        for &i in batch {
            match read_file(&found[i].path, budget) {
                Ok(s) => {
                    sources.push(s);
                    slot_of.push(i);
                }
                Err(p) => {
                    read_failed = true;
                    problems.push(p);
                }
            }
        }
        if sources.is_empty() {
            continue;
        }
        fresh = true;
        let writing = writer.open();
        let refs: Vec<&Source> = sources.iter().collect();
        let results = parse_all_then(&refs, vocab, |src, result| {
            let packed = match (&result, src.identity) {
                (Ok(p), Some(id)) if writing => pack(p, id.size, detail, known),
                _ => None,
            };
            (result, packed)
        });
        let ids: Vec<Option<FileIdentity>> = sources.iter().map(|s| s.identity).collect();
        drop(refs);
        drop(sources);
        // The batch's records, then a flush: only then may memory let go of their bodies.
        let places = writer.put(results.iter().map(|(_, packed)| packed.as_ref().map(|p| &p.record[..])));
        for (((result, packed), place), (i, id)) in results.into_iter().zip(places).zip(slot_of.into_iter().zip(ids)) {
            let Some(id) = id else {
                // Files read have an identity; said rather than lost in silence if one had not.
                parse_problems.push(Problem {
                    file: shown[i].clone(),
                    message: "could not be identified after reading it; skipped".into(),
                    loaded: false,
                });
                continue;
            };
            match (result, packed, place) {
                (Ok(p), Some(packed), Some(place)) => {
                    let headlines = match (packed.shared, &writer.records) {
                        (Some(mut lean), Some(file)) => {
                            lean.bulletin.body = stored(file, &place);
                            slots[i] = Some(Slot { id, parsed: lean, sum: Some(packed.sum) });
                            None
                        }
                        _ => {
                            let start = written.headlines.len();
                            written.headlines.extend_from_slice(&packed.entry);
                            Some(start..written.headlines.len())
                        }
                    };
                    written.at[i] = Some(WrittenFile { id, name: p.bulletin.source, place, headlines });
                }
                (Ok(p), _, _) => slots[i] = Some(Slot { id, parsed: p, sum: None }),
                (Err(p), _, _) => parse_problems.push(p),
            }
        }
    }
    let used = slots.iter().zip(&written.at).filter(|(s, w)| s.is_some() || w.is_some()).count();
    if let Some(cache) = &cache
        && (fresh || cached_entries != used)
        // Bulletins read with less than full detail lack parts the cache keeps: read them
        // again whole to write them (if that fails, the cache is not rewritten this time).
        && (detail.full() || refill_whole(cache, &shown, &wanted, &from_cache, &mut slots))
        && writer.open()
    {
        writer.finish(&shown, &mut slots, &written);
    }
    // Fresh bulletins read their bodies from the new file (whether or not it was finished:
    // what was flushed stays readable).
    if let Some(file) = writer.records.clone() {
        lean_all(&written, &file, detail, &mut slots, &shown, &mut parse_problems);
    }
    problems.extend(parse_problems);
    // At once: grown step by step, 10,000 bulletins were copied over and over.
    out.reserve(slots.iter().filter(|s| s.is_some()).count());
    for (shown, slot) in shown.into_iter().zip(slots) {
        if let Some(Slot { id, parsed, sum }) = slot {
            out.push(FromFile { path: shown, identity: id, parsed, sum });
        }
    }
    read_failed
}

/// The new cache file of a root, made when the first file is parsed (or, if none is, when
/// the cache must be written anyway: files were removed).
struct Writer<'a> {
    cache: Option<&'a RootCache>,
    w: Option<CacheWriter>,
    tried: bool,
    /// The file's records, kept when the writer is gone (done, or failed on the way: what it
    /// flushed before stays readable).
    records: Option<Arc<BodyFile>>,
}

impl Writer<'_> {
    /// Whether records can be written: the file is made on the first call.
    fn open(&mut self) -> bool {
        if let Some(cache) = self.cache
            && !self.tried
        {
            self.tried = true;
            match CacheWriter::create(cache) {
                Ok(w) => {
                    self.records = Some(w.records());
                    self.w = Some(w);
                }
                Err(e) => log_failure(cache, &e),
            }
        }
        self.w.is_some()
    }

    /// Appends the records given (`None`: that file is not written) and flushes. Their places,
    /// all `None` if this failed: the writer is then given up, and those bulletins stay whole.
    fn put<'r>(&mut self, records: impl ExactSizeIterator<Item = Option<&'r [u8]>>) -> Vec<Option<Place>> {
        let n = records.len();
        let Some(w) = self.w.as_mut() else { return vec![None; n] };
        let placed: std::io::Result<Vec<Option<Place>>> = records
            .map(|r| r.map(|r| w.record(r)).transpose())
            .collect::<std::io::Result<_>>()
            .and_then(|places| w.flush().map(|()| places));
        match placed {
            Ok(places) => places,
            Err(e) => {
                self.fail(&e);
                vec![None; n]
            }
        }
    }

    /// Copies the bodies of bulletins read from the old cache, writes the index and renames the
    /// file over the cache; they then read their bodies from it (the old file can close).
    fn finish(&mut self, shown: &[String], slots: &mut [Option<Slot>], written: &Written) {
        let Some(mut w) = self.w.take() else { return };
        let mut index: Vec<(usize, FileIdentity, Place)> = Vec::with_capacity(slots.len());
        for (i, (slot, fresh)) in slots.iter().zip(&written.at).enumerate() {
            let entry = match (slot, fresh) {
                (_, Some(f)) => (i, f.id, f.place),
                // A bulletin kept whole (it did not make an entry) is parsed again next time.
                (Some(s), None) if matches!(s.parsed.bulletin.body, Body::Here) => continue,
                (Some(s), None) => match w.body_of(&s.parsed) {
                    Ok(place) => (i, s.id, place),
                    Err(e) => return self.fail(&e),
                },
                (None, None) => continue,
            };
            index.push(entry);
        }
        if let Err(e) = w.flush() {
            return self.fail(&e);
        }
        // Each entry's headlines' CRC-32, as written: what the next load shares them by.
        let mut sums = Vec::with_capacity(index.len());
        let entries = index.iter().map(|&(i, id, place)| {
            let headlines = match (written.headlines(i), &slots[i]) {
                (Some(h), _) => Cow::Borrowed(h),
                (None, Some(s)) => {
                    let mut headlines = Vec::new();
                    codec::encode(&s.parsed, &mut headlines);
                    Cow::Owned(headlines)
                }
                (None, None) => Cow::Borrowed(&[][..]),
            };
            sums.push(headlines_sum(&headlines));
            (shown[i].as_str(), id, place, headlines)
        });
        if let Err(e) = w.finish(entries) {
            return self.fail(&e);
        }
        // Bulletins from the old cache read their bodies from the new one: the old can close.
        let Some(file) = self.records.clone() else { return };
        for ((i, _, place), sum) in index.iter().zip(sums) {
            if let Some(s) = &mut slots[*i] {
                s.parsed.bulletin.body = stored(&file, place);
                s.sum = Some(sum);
            }
        }
    }

    fn fail(&mut self, e: &std::io::Error) {
        if let Some(cache) = self.cache {
            log_failure(cache, e);
        }
        self.w = None;
    }
}

/// The cache only saves time: a failure to write it is said in the log, and the load goes on.
fn log_failure(cache: &RootCache, e: &std::io::Error) {
    crate::log::line(&format!("parse cache {}: {e}", cache.path().display()));
}

fn stored(file: &Arc<BodyFile>, place: &Place) -> Body {
    Body::Stored(StoredBody { file: Arc::clone(file), at: place.at, len: place.len, sum: place.sum })
}

/// A parsed file ready for the cache: its body record, its headlines as the cache's index
/// keeps them and their CRC-32, and its bulletin as read back from them if its articles are
/// the same as ones the last load made (`Known`; then shared).
struct Packed {
    record: Vec<u8>,
    entry: Vec<u8>,
    sum: u32,
    shared: Option<Parsed>,
}

/// A parsed bulletin's body record and its headlines, for the cache; `None` if its headlines
/// do not make an entry (they are decoded here to know: every fresh entry decodes at the end,
/// unless the last load made the same articles: a reload after every file was copied anew then
/// holds no second copy of them, not even as headline bytes).
fn pack(p: &Parsed, size: u64, detail: Detail, known: Option<&Known>) -> Option<Packed> {
    let mut entry = Vec::new();
    codec::encode(p, &mut entry);
    let b = &p.bulletin;
    let mut lean = codec::decode(&entry, &b.source, b.origin, size, detail).ok()?;
    let sum = headlines_sum(&entry);
    let shared = known.and_then(|k| k.same_as(sum, &lean.bulletin.articles)).cloned().map(|articles| {
        lean.bulletin.articles = articles;
        lean
    });
    let mut record = Vec::new();
    let articles = b.articles.iter().map(|a| (&a.captions[..], &a.caption_at[..], &a.paragraphs[..]));
    bodies::encode(articles, &mut record);
    Some(Packed { record, entry, sum, shared })
}

/// Each written bulletin whose headlines were kept into its slot, as a run reading the cache
/// keeps them (each string its own size, without what `detail` leaves out), its body in
/// `file`. On every core.
fn lean_all(
    written: &Written,
    file: &Arc<BodyFile>,
    detail: Detail,
    slots: &mut [Option<Slot>],
    shown: &[String],
    problems: &mut Vec<Problem>,
) {
    let todo: Vec<usize> = (0..slots.len()).filter(|&i| written.headlines(i).is_some()).collect();
    let decoded = crate::domain::parallel::par_chunks_from(todo.len(), 256, |range| {
        let decode = |i: usize| {
            let (f, headlines) = (written.at[i].as_ref(), written.headlines(i));
            let (f, headlines) = f.zip(headlines).expect("listed above");
            let lean = codec::decode(headlines, &f.name, Origin::User, f.id.size, detail);
            let lean = lean.ok().map(|mut lean| {
                lean.bulletin.body = stored(file, &f.place);
                Slot { id: f.id, parsed: lean, sum: Some(headlines_sum(headlines)) }
            });
            (i, lean)
        };
        todo[range].iter().map(|&i| decode(i)).collect()
    });
    for (i, lean) in decoded.into_iter().flatten() {
        match lean {
            Some(lean) => slots[i] = Some(lean),
            // Checked when it was packed: a bug, but said rather than the file lost in silence.
            None => problems.push(Problem {
                file: shown[i].clone(),
                message: "its parsed form could not be read back; skipped".into(),
                loaded: false,
            }),
        }
    }
}

/// The files to parse, in runs of at most `size.files` files and about `size.bytes`.
fn batches<'a>(todo: &'a [usize], found: &'a [Found], size: Batch) -> impl Iterator<Item = &'a [usize]> + 'a {
    let mut rest = todo;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut n = 0;
        while n < rest.len() && n < size.files && (n == 0 || bytes < size.bytes) {
            bytes += found[rest[n]].meta.len();
            n += 1;
        }
        let (batch, after) = rest.split_at(n);
        rest = after;
        Some(batch)
    })
}

/// Whether the cache's `hits` are the files `found` (shown as `shown`) and nothing else: an
/// entry for each file, in its place, the file as it was; no other entry in the cache.
fn holds_exactly(hits: &Hits, shown: &[String], found: &[Found]) -> bool {
    hits.entries == found.len()
        && hits.parsed.len() == found.len()
        && (hits.parsed.iter().zip(shown).zip(found))
            .all(|((hit, shown), f)| hit.path == *shown && hit.identity == FileIdentity::of(&f.meta))
}

/// Puts each cache entry whose file is still the same into that file's slot. The cache lists
/// files in the order they were found when it was written, so entries are matched in step,
/// and by path once a file was added or removed.
fn take_hits(hits: Vec<Hit>, shown: &[String], wanted: &[FileIdentity], slots: &mut [Option<Slot>]) {
    let mut by_path: Option<HashMap<&str, usize>> = None;
    for (k, hit) in hits.into_iter().enumerate() {
        let i = match shown.get(k) {
            Some(s) if *s == hit.path => Some(k),
            _ => by_path
                .get_or_insert_with(|| shown.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect())
                .get(hit.path.as_str())
                .copied(),
        };
        if let Some(i) = i
            && wanted[i] == hit.identity
            && slots[i].is_none()
        {
            slots[i] = Some(Slot::of(hit));
        }
    }
}

/// Reads the cache again in full detail into the slots that `from_cache` marks (filled from
/// it with less detail), so that the cache can be rewritten whole. False if the cache no longer
/// gives each of them (it was replaced meanwhile).
fn refill_whole(
    cache: &RootCache,
    shown: &[String],
    wanted: &[FileIdentity],
    from_cache: &[bool],
    slots: &mut [Option<Slot>],
) -> bool {
    if !from_cache.contains(&true) {
        return true;
    }
    let mut whole: Vec<Option<Slot>> = shown.iter().map(|_| None).collect();
    take_hits(cache.read(Origin::User, Detail::Full).parsed, shown, wanted, &mut whole);
    if from_cache.iter().zip(&whole).any(|(&was, now)| was && now.is_none()) {
        return false;
    }
    for ((slot, now), &was) in slots.iter_mut().zip(whole).zip(from_cache) {
        if was {
            *slot = now;
        }
    }
    true
}
