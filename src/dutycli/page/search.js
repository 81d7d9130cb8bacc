// duty html: the search of `duty search`, run over the tables the page's data carries.
// Python (dutycli.query.search, search_stages, dutycli.text) is the reference: every
// function here follows the one of the same name there, step for step, over the same
// tables (page.engine_tables): the segmentation vocabulary, the thesaurus, department
// spellings, pinyin of names and departments, characters by reading, the weights.
// Nothing here is a number or a word of its own.
var DutySearch = (function () {
  "use strict";

  function Engine(T, items) {
    var W = T.weights, L = T.limits;
    var NAME = 0, DEPARTMENTS = T.departments_field;
    var EXACT = "exact", SEGMENT = "segment", SYNONYM = "synonym", DEPARTMENT = "department";
    var HOMOPHONE = "homophone", PINYIN = "pinyin", SPELLED = "spelled", AUTO = "auto", WHOLE = "whole", SPLIT = "split";
    var STOP = set(T.stop), QUESTION = set(T.question), QUESTION_ORDER = T.question_order;
    var COSTS = new Map(), DEPTS = new Map();
    T.vocab.words.forEach(function (w, n) { COSTS.set(w, T.vocab.costs[n]); });
    T.departments.forEach(function (p) { DEPTS.set(p[0], p[1]); });
    var THESAURUS = T.thesaurus;

    function set(words) { var s = new Set(); words.forEach(function (w) { s.add(w); }); return s; }
    function has(s, w) { return s.has(w); }
    function codepoints(s) { return Array.from(s); }
    function isAscii(s) { return /^[\x00-\x7f]*$/.test(s); }
    function isHan(ch) { return (ch >= "\u3400" && ch <= "\u9fff") || (ch >= "\uf900" && ch <= "\ufaff"); }
    function allHan(s) { for (var i = 0; i < s.length; i++) if (!(s[i] >= "\u3400" && s[i] <= "\u9fff")) return false; return true; }
    function lowerAscii(s) { return s.replace(/[A-Z]+/g, function (m) { return m.toLowerCase(); }); }
    function utf8len(s) {
      var n = 0;
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        if (c < 0x80) n += 1;
        else if (c < 0x800) n += 2;
        else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; }
        else n += 3;
      }
      return n;
    }

    // -- the lines (the store's ``lines``), item by item ----------------------------
    // PLACE: each department's place among an item's departments (the store's item_depts.nth).
    var LINES = [], NAME_LINE = [], BY_DEPT = new Map(), PLACE = new Map();
    items.forEach(function (item, i) {
      item.text.forEach(function (t) {
        if (t[0] === NAME) NAME_LINE[i] = LINES.length;
        LINES.push({ item: i, field: t[0], text: t[1], lower: lowerAscii(t[1]) });
      });
      var nth = 0;
      item.departments.forEach(function (d) {
        if (!BY_DEPT.has(d)) { BY_DEPT.set(d, []); PLACE.set(d, new Map()); }
        if (PLACE.get(d).has(i)) return;
        BY_DEPT.get(d).push(i);
        PLACE.get(d).set(i, nth++);
      });
    });
    // -- query.search_stages.lead --------------------------------------------------
    function lead(nth) { return Math.max(1.0 - W.lead_step * nth, W.lead_floor); }

    // -- text.thesaurus.Thesaurus.expand ------------------------------------------
    var expanded = new Map();
    function expand(word) {
      if (expanded.has(word)) return expanded.get(word);
      var found = [];
      if (word && !/[\n\t\x1e\x1f]/.test(word)) {
        var at = THESAURUS.indexOf("\n" + word + "\t");
        if (at >= 0) {
          var start = at + word.length + 2;
          var p = THESAURUS.slice(start, THESAURUS.indexOf("\n", start)).split("\t");
          for (var i = 0; i + 1 < p.length; i += 2) found.push([p[i], parseFloat(p[i + 1])]);
        }
      }
      expanded.set(word, found);
      return found;
    }

    // -- characters by reading (store ``syllables`` / ``readings``) ------------------
    var BY_CHAR = null;
    function charSyllables(ch) {
      if (BY_CHAR === null) {
        BY_CHAR = new Map();
        Object.keys(T.readings).sort().forEach(function (s) {
          codepoints(T.readings[s]).forEach(function (c) {
            if (!BY_CHAR.has(c)) BY_CHAR.set(c, []);
            BY_CHAR.get(c).push(s);
          });
        });
      }
      return BY_CHAR.get(ch) || [];
    }
    function alike(ch) {
      var syllables = charSyllables(ch);
      if (!syllables.length) return ch;
      var chars = new Set([ch]);
      syllables.forEach(function (s) { codepoints(T.readings[s] || "").forEach(function (c) { chars.add(c); }); });
      return Array.from(chars).sort().join("");
    }

    // -- text.layer.build_sounds, built on first need -------------------------------
    var SOUNDS = null, SYLLABLES = null, LONGEST = 0;
    function sounds() {
      if (SOUNDS !== null) return SOUNDS;
      SOUNDS = new Map();
      var seen = new Set();
      T.vocab.words.concat(T.departments.map(function (p) { return p[0]; })).forEach(function (word) {
        if (seen.has(word)) return;
        seen.add(word);
        if (word.length < 2 || word.length > L.sound_max) return;
        var keys = [""];
        for (var i = 0; i < word.length; i++) {
          var options = charSyllables(word[i]);
          if (!options.length) { keys = []; break; }
          keys = product(keys, options).slice(0, T.limits.max_keys);
        }
        keys.forEach(function (k) {
          if (!SOUNDS.has(k)) SOUNDS.set(k, []);
          SOUNDS.get(k).push(word);
        });
      });
      SYLLABLES = new Set();
      SOUNDS.forEach(function (_, key) { key.split("-").forEach(function (s) { SYLLABLES.add(s); }); });
      SYLLABLES.forEach(function (s) { LONGEST = Math.max(LONGEST, s.length); });
      return SOUNDS;
    }
    function product(keys, options) {
      var out = [];
      keys.forEach(function (k) { options.forEach(function (o) { out.push(k ? k + "-" + o : o); }); });
      return out;
    }

    // -- text.segment ----------------------------------------------------------------
    function kind(ch) {
      if (isHan(ch)) return 1;
      return /^[A-Za-z0-9]$/.test(ch) ? 2 : 0;
    }
    function tokens(text) {
      var out = [], start = 0, k0 = 0, chars = text + " ";
      for (var i = 0; i < chars.length; i++) {
        var k = i < text.length ? kind(chars[i]) : 0;
        if (k !== k0) {
          if (k0) out.push([text.slice(start, i), k0 === 1]);
          start = i; k0 = k;
        }
      }
      return out;
    }
    function bestPath(run) {
      var n = run.length, best = [], cut = [], i, j;
      for (i = 0; i <= n; i++) { best.push(0.0); cut.push(n); }
      for (i = n - 1; i >= 0; i--) {
        var top = Math.min(n, i + T.vocab.longest);
        var choice = T.vocab.unknown + best[i + 1], where = i + 1;
        for (j = i + 2; j <= top; j++) {
          var cost = COSTS.get(run.slice(i, j));
          if (cost !== undefined && cost + best[j] < choice) { choice = cost + best[j]; where = j; }
        }
        var single = COSTS.get(run[i]);
        if (single !== undefined && single + best[i + 1] < choice) { choice = single + best[i + 1]; where = i + 1; }
        best[i] = choice; cut[i] = where;
      }
      var out = [];
      for (i = 0; i < n; i = cut[i]) out.push(run.slice(i, cut[i]));
      return out;
    }
    function segment(text) {
      var out = [];
      tokens(text).forEach(function (t) {
        if (!t[1]) { out.push(t[0]); return; }
        var loose = "";
        bestPath(t[0]).forEach(function (piece) {
          if (piece.length === 1) { loose += piece; return; }
          if (loose) { out.push(loose); loose = ""; }
          out.push(piece);
        });
        if (loose) out.push(loose);
      });
      return out;
    }

    // -- text.concepts ---------------------------------------------------------------
    function stripQuestion(word) {
      var rest = word, changed = true;
      while (changed) {
        changed = false;
        QUESTION_ORDER.forEach(function (q) {
          if (q.length >= 2 && rest.indexOf(q) >= 0 && rest !== q) {
            rest = rest.split(q).join(" ");
            changed = true;
          }
        });
      }
      rest = rest.split(/\s+/).filter(Boolean).join(" ");
      return rest || word;
    }
    function term(text, via, weight) { return { text: text, via: via, weight: weight }; }
    function alternatives(word, via) {
      var terms = [term(word, via, 1.0)], seen = new Set([word]);
      var full = DEPTS.get(word);
      if (full) { terms.push(term(full, DEPARTMENT, W.department)); seen.add(full); }
      expand(word).forEach(function (t) {
        if (seen.has(t[0])) return;
        seen.add(t[0]);
        if (DEPTS.has(t[0])) terms.push(term(DEPTS.get(t[0]), DEPARTMENT, t[1]));
        else terms.push(term(t[0], SYNONYM, t[1]));
      });
      return terms;
    }
    function uniqueTerms(terms) {
      var seen = new Set();
      return terms.filter(function (t) {
        var key = t.text + "\x00" + t.via + "\x00" + t.weight;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    function known(word) { return present(word) || expand(word).length > 0 || DEPTS.has(word); }
    function understood(concept) {
      return concept.terms.some(function (t) {
        return t.via === SYNONYM || t.via === DEPARTMENT || t.via === HOMOPHONE || t.via === PINYIN ||
          t.via === SPELLED;
      });
    }

    // -- text.concepts._cut_areas ---------------------------------------------------
    function cutAreas(word, names) {
      if (!names.length || word.length < 3 || names.indexOf(word) >= 0) return [word];
      for (var i = 0; i < names.length; i++) {
        var at = word.indexOf(names[i]);
        if (at >= 0) {
          if (present(word)) return [word];
          var before = word.slice(0, at), after = word.slice(at + names[i].length);
          return [].concat(before ? cutAreas(before, names) : [], [names[i]],
            after ? cutAreas(after, names) : []);
        }
      }
      return [word];
    }
    function understand(query, split) {
      var concepts = [], words = [];
      query.split(/\s+/).filter(Boolean).forEach(function (typed) {
        var stripped = isAscii(typed) ? typed : stripQuestion(typed);
        words = words.concat(stripped.split(/\s+/).filter(Boolean));
      });
      words = joinSyllables(words);
      words = [].concat.apply([], words.map(function (w) { return cutAreas(w, T.areas); }));
      words.forEach(function (word) {
        var letters = pinyinLetters(word);
        if (letters && !present(word)) {
          var spelled = spelledWhole(letters);
          var byInitials = spelled.length ? [] : byInitialsOf(letters);
          var runs = [[word, letters, spelled.length ? spelled : byInitials]];
          if (!spelled.length && !byInitials.length) {
            runs = spelledWords(letters).map(function (r) { return [r[0], r[0], r[1]]; });
          }
          var via = byInitials.length ? PINYIN : SPELLED;
          runs.forEach(function (r) {
            var terms = [term(r[1] !== r[0].toLowerCase() ? r[1] : r[0], EXACT, 1.0)];
            r[2].forEach(function (found) {
              alternatives(found, EXACT).forEach(function (t) {
                if (t.via === EXACT && DEPTS.has(found)) return;
                terms.push(term(t.text, t.via === DEPARTMENT ? t.via : via, W.pinyin_word * t.weight));
              });
            });
            concepts.push({ word: r[0], terms: uniqueTerms(terms) });
          });
          if (runs.length) return;
        }
        if (split === WHOLE || (known(word) && !(split === SPLIT && word.length > 2))) {
          concepts.push({ word: word, terms: alternatives(word, EXACT) });
          return;
        }
        var pieces = segment(word).filter(function (p) { return !/^[0-9]+$/.test(p); });
        pieces = [].concat.apply([], pieces.map(splitBySound));
        var kept = pieces.filter(function (p) { return !has(STOP, p) && !has(QUESTION, p); });
        var long = kept.filter(function (p) { return p.length > 1 || expand(p).length || DEPTS.has(p); });
        kept = long.length ? long : kept.length ? kept : pieces.length ? pieces : [word];
        var via = kept.length > 1 || kept[0] !== word ? SEGMENT : EXACT;
        Array.from(new Set(kept)).forEach(function (piece) {
          var terms = alternatives(piece, via);
          if (!known(piece) && !COSTS.has(piece)) {
            soundsLike(piece).forEach(function (same) {
              alternatives(same, HOMOPHONE).forEach(function (t) {
                terms.push(term(t.text, t.via, t.weight * W.homophone_word));
              });
            });
          }
          concepts.push({ word: piece, terms: terms });
        });
      });
      return concepts;
    }

    var INITIALS = null;
    function initials() {
      if (INITIALS !== null) return INITIALS;
      INITIALS = new Map();
      sounds().forEach(function (words, key) {
        var k = key.split("-").map(function (s) { return s.slice(0, 1); }).join("");
        if (!INITIALS.has(k)) INITIALS.set(k, []);
        var found = INITIALS.get(k);
        words.forEach(function (w) { if (found.indexOf(w) < 0) found.push(w); });
      });
      return INITIALS;
    }
    function pinyinLetters(word) {
      var text = word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      if (!isAscii(text) || !/^[a-z]/.test(text)) return null;
      var out = "";
      for (var n = 0; n < text.length; n++) {
        if ("012345".indexOf(text[n]) >= 0 && /[a-z]/.test(text[n - 1])) continue;
        out += text[n];
      }
      return /^[a-z]+$/.test(out) ? out : null;
    }
    function joinSyllables(words) {
      var out = [], i = 0;
      while (i < words.length) {
        var took = 1;
        if (pinyinLetters(words[i]) && !present(words[i])) {
          for (var j = Math.min(words.length, i + L.join_max); j > i + 1; j--) {
            var letters = words.slice(i, j).map(pinyinLetters);
            if (!letters.every(function (w) { return w; })) continue;
            if (spelledWhole(letters.join("")).length) { took = j - i; break; }
          }
        }
        out.push(words.slice(i, i + took).join(""));
        i += took;
      }
      return out;
    }
    function spelledWords(word) {
      var q = word.toLowerCase(), best = [[]], i, j;
      if (q.length < 6 || q.length > 40) return [];
      for (i = 0; i < q.length; i++) best.push(null);
      for (i = 0; i < q.length; i++) {
        var done = best[i];
        if (done === null) continue;
        for (j = i + 3; j <= q.length; j++) {
          var found = spelledWhole(q.slice(i, j)), here = best[j];
          if (found.length && (here === null || here.length > done.length + 1)) best[j] = done.concat([[j, found]]);
        }
      }
      var cut = best[q.length];
      if (!cut || cut.length < 2) return [];
      var out = [], start = 0;
      cut.forEach(function (c) { out.push([word.slice(start, c[0]), c[1]]); start = c[0]; });
      return out;
    }
    function byInitialsOf(word) {
      if (word.length < 3 || word.length > L.initials_max) return [];
      return (initials().get(word) || []).slice();
    }
    function spelledWhole(word) {
      if (word.length < 3 || word.length > 40) return [];
      var index = sounds(), cuts = [[[]]], i, j;
      for (i = 0; i < word.length; i++) cuts.push([]);
      for (i = 0; i < word.length; i++) {
        if (!cuts[i].length) continue;
        for (j = i + 1; j <= Math.min(word.length, i + LONGEST); j++) {
          var s = word.slice(i, j);
          if (SYLLABLES.has(s)) {
            var more = cuts[i].map(function (c) { return c.concat([s]); }).slice(0, 8);
            cuts[j] = cuts[j].concat(more);
          }
        }
      }
      var out = [];
      cuts[word.length].forEach(function (cut) {
        if (cut.length < 2) return;
        (index.get(cut.join("-")) || []).forEach(function (found) { if (out.indexOf(found) < 0) out.push(found); });
      });
      return out;
    }

    function splitBySound(piece) {
      if (piece.length <= 2 || known(piece) || !allHan(piece)) return [piece];
      var out = [], loose = "", i = 0;
      while (i < piece.length) {
        var took = false;
        for (var size = 4; size >= 1; size--) {
          var part = piece.slice(i, i + size);
          if (part.length !== size) continue;
          if (size === 1 ? expand(part).length > 0 || DEPTS.has(part) : known(part) || soundsLike(part).length) {
            if (loose) { out.push(loose); loose = ""; }
            out.push(part);
            i += size;
            took = true;
            break;
          }
        }
        if (!took) { loose += piece[i]; i++; }
      }
      if (loose) out.push(loose);
      return out;
    }

    function soundsLike(piece) {
      if (piece.length < 2 || piece.length > 6 || !allHan(piece)) return [];
      var keys = [""];
      for (var i = 0; i < piece.length; i++) {
        var options = charSyllables(piece[i]);
        keys = product(keys, options.length ? options : [piece[i]]).slice(0, T.limits.max_readings);
      }
      var need = Math.floor((piece.length + 1) / 2), out = [], index = sounds();
      keys.forEach(function (key) {
        (index.get(key) || []).forEach(function (word) {
          var same = 0;
          for (var k = 0; k < piece.length; k++) if (word[k] === piece[k]) same++;
          if (word !== piece && same >= need && out.indexOf(word) < 0) out.push(word);
        });
      });
      return out;
    }

    // -- query.search_stages ---------------------------------------------------------
    function hit(word, item, line, start, end, via, field, weight, dept) {
      return { word: word, item: item, line: line, start: start, end: end, via: via,
               field: field, weight: weight, dept: dept || null };
    }
    var presentMemo = new Map();
    function present(word) {
      if (!presentMemo.has(word)) presentMemo.set(word, exact(word, false).length > 0);
      return presentMemo.get(word);
    }
    function exact(word, pinyin) {
      var fold = /[A-Za-z]/.test(word), needle = fold ? lowerAscii(word) : word, hits = [];
      LINES.forEach(function (line, n) {
        var hay = fold ? line.lower : line.text, pos = hay.indexOf(needle);
        while (pos !== -1) {
          hits.push(hit(word, line.item, n, pos, pos + word.length, EXACT, line.field, W.field[line.field]));
          pos = hay.indexOf(needle, pos + 1);
        }
      });
      var q = word.toLowerCase();
      if (pinyin !== false && /^[a-z]+$/.test(q) && q.length >= 2) hits = hits.concat(pinyinHits(word, q));
      return hits;
    }
    function pinyinSpans(syl, q) {
      var spans = [], n = syl.length;
      for (var i = 0; i < n; i++) {
        var rest = q, j = i;
        while (rest && j < n && /^\p{L}/u.test(syl[j])) {
          var s = syl[j];
          if (rest.indexOf(s) === 0) { rest = rest.slice(s.length); j++; }
          else if (s.indexOf(rest) === 0) { rest = ""; j++; }
          else break;
        }
        if (!rest) { spans.push([i, j]); continue; }
        if (i + q.length <= n) {
          var ok = true;
          for (var k = 0; k < q.length; k++) if (syl[i + k].charAt(0) !== q.charAt(k)) { ok = false; break; }
          if (ok) spans.push([i, i + q.length]);
        }
      }
      return spans;
    }
    function pinyinHits(word, q) {
      var hits = [], weight = W.field[NAME] * W.via.pinyin;
      items.forEach(function (item, i) {
        pinyinSpans(item.py, q).forEach(function (sp) {
          hits.push(hit(word, i, NAME_LINE[i], sp[0], sp[1], PINYIN, NAME, weight));
        });
      });
      var spans = new Map(), matched = new Map();
      T.department_pinyin.forEach(function (p) {
        var found = pinyinSpans(p[1], q);
        if (found.length) spans.set(p[0], found[0]);
      });
      T.department_names.forEach(function (p) {  // [spelling, list, canonical]
        if (!spans.has(p[0])) return;
        var key = p[1] + "\x00" + p[2];
        if (p[0] === p[2]) matched.set(key, { list: p[1], name: p[2], span: spans.get(p[0]) });
        else if (!matched.has(key)) matched.set(key, { list: p[1], name: p[2], span: [0, 0] });
      });
      var byName = new Map();
      matched.forEach(function (m) { byName.set(m.name, m.span); });
      var deptWeight = W.field[DEPARTMENTS] * W.via.pinyin;
      items.forEach(function (item, i) {
        item.departments.forEach(function (d) {
          if (matched.has(item.l + "\x00" + d)) {
            var sp = byName.get(d);
            hits.push(hit(word, i, -1, sp[0], sp[1], PINYIN, DEPARTMENTS, deptWeight, d));
          }
        });
      });
      return hits;
    }
    function escapeClass(chars) { return chars.replace(/[\\\]\[^-]/g, "\\$&"); }
    function homophone(word) {
      var hits = exact(word);
      var chars = codepoints(word);
      if (chars.length > L.typo_max || !chars.some(isHan) || chars.length < 2) return hits;
      var classes = chars.map(function (ch) { return isHan(ch) ? alike(ch) : ch; });
      var pattern = new RegExp(classes.map(function (c) { return "[" + escapeClass(c) + "]"; }).join(""), "gu");
      var need = Math.floor((chars.length + 1) / 2);
      LINES.forEach(function (line, n) {
        pattern.lastIndex = 0;
        var m;
        while ((m = pattern.exec(line.text)) !== null) {
          var found = codepoints(m[0]), same = 0;
          for (var k = 0; k < found.length; k++) if (found[k] === chars[k]) same++;
          if (m[0] !== word && same >= need) {
            hits.push(hit(word, line.item, n, m.index, m.index + m[0].length, HOMOPHONE, line.field,
                          W.field[line.field] * W.via.homophone));
          }
        }
      });
      return hits;
    }
    // rapidfuzz's fuzz.partial_ratio_alignment (its reference Python implementation).
    function lcs(a, b) {
      var prev = new Array(b.length + 1).fill(0), cur;
      for (var i = 1; i <= a.length; i++) {
        cur = [0];
        for (var j = 1; j <= b.length; j++) {
          cur.push(a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]));
        }
        prev = cur;
      }
      return prev[b.length];
    }
    function normSim(a, b) {
      var total = a.length + b.length;
      if (!total) return 1;
      return 1 - (total - 2 * lcs(a, b)) / total;
    }
    function partialImpl(s1, s2) {
      var len1 = s1.length, len2 = s2.length, inS1 = new Set(s1), i, r;
      var res = { score: 0, src: [0, len1], dest: [0, len1] };
      function better(r, d0, d1) {
        if (r > res.score) { res.score = r; res.dest = [d0, d1]; }
        return res.score === 1;
      }
      for (i = 1; i < len1; i++) {
        if (!inS1.has(s2[i - 1])) continue;
        if (better(normSim(s1, s2.slice(0, i)), 0, i)) { res.score = 100; return res; }
      }
      for (i = 0; i < len2 - len1; i++) {
        if (!inS1.has(s2[i + len1 - 1])) continue;
        if (better(normSim(s1, s2.slice(i, i + len1)), i, i + len1)) { res.score = 100; return res; }
      }
      for (i = Math.max(len2 - len1, 0); i < len2; i++) {
        if (!inS1.has(s2[i])) continue;
        if (better(normSim(s1, s2.slice(i)), i, len2)) { res.score = 100; return res; }
      }
      res.score *= 100;
      return res;
    }
    function partialRatio(a, b) {  // -> [score, dest start, dest end] (dest: in b)
      var s1 = codepoints(a), s2 = codepoints(b), len1 = s1.length, len2 = s2.length;
      if (!len1 && !len2) return [100, 0, 0];
      var res = len1 <= len2 ? partialImpl(s1, s2) : partialImpl(s2, s1);
      if (res.score !== 100 && len1 === len2) {
        var res2 = partialImpl(s2, s1);
        if (res2.score > res.score) res = { score: res2.score, src: res2.dest, dest: res2.src };
      }
      return len1 <= len2 ? [res.score, res.dest[0], res.dest[1]] : [res.score, res.src[0], res.src[1]];
    }
    function fuzzy(word) {
      var hits = homophone(word), n = codepoints(word).length;
      if (n < L.fuzzy_min || n > L.typo_max) return hits;
      var query = word.toLowerCase(), grams = [];
      for (var i = 0; i + 1 < query.length; i++) grams.push(query.slice(i, i + 2));
      grams = grams.filter(function (g) { return !/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/.test(g); });
      if (!grams.length) return hits;
      LINES.forEach(function (line, n2) {
        var lower = line.text.toLowerCase();
        if (!grams.some(function (g) { return lower.indexOf(g) >= 0; })) return;
        var found = partialRatio(query, lower);
        if (found[0] < L.fuzzy_cutoff) return;
        hits.push(hit(word, line.item, n2, found[1], found[2], "fuzzy", line.field,
                      W.field[line.field] * W.via.fuzzy * found[0] / 100));
      });
      return hits;
    }
    var STAGES = { exact: exact, homophone: homophone, fuzzy: fuzzy };

    // -- query.search ----------------------------------------------------------------
    function byItem(hits) {
      var out = new Map();
      hits.forEach(function (h) {
        if (!out.has(h.item)) out.set(h.item, []);
        out.get(h.item).push(h);
      });
      return out;
    }
    function conceptHits(concept, stage) {
      var hits = [];
      concept.terms.forEach(function (t) {
        if (t.via === PINYIN && hits.length) return;
        if (t.via === DEPARTMENT) {
          var w = W.field[DEPARTMENTS] * t.weight;
          (BY_DEPT.get(t.text) || []).forEach(function (i) {
            var wi = w * lead(PLACE.get(t.text).get(i));
            hits.push(hit(concept.word, i, -1, 0, t.text.length, DEPARTMENT, DEPARTMENTS, wi, t.text));
          });
          return;
        }
        var found = (t.via === EXACT || t.via === SEGMENT ? STAGES[stage] : exact)(t.text);
        found.forEach(function (h) {
          h.word = concept.word;
          if (!(t.via === EXACT || h.via !== EXACT)) h.via = t.via;
          if (h.via === SPELLED) h.via = PINYIN;
          h.weight = h.weight * t.weight;
          hits.push(h);
        });
      });
      return hits;
    }
    function score(perWord) {
      var total = 0, lineSets = [];
      perWord.forEach(function (hits) {
        var best = hits[0];
        hits.forEach(function (h) { if (h.weight > best.weight) best = h; });
        total += best.weight + Math.min(hits.length - 1, 9);
        if (best.field === NAME && best.line >= 0) {
          var text = LINES[best.line].text;
          total += 20.0 * utf8len(text.slice(best.start, best.end)) / Math.max(utf8len(text), 1);
        }
        var lines = new Set();
        hits.forEach(function (h) { if (h.line >= 0) lines.add(h.line); });
        lineSets.push(lines);
      });
      if (perWord.length > 1) {
        var common = Array.from(lineSets[0]).some(function (l) {
          return lineSets.every(function (s) { return s.has(l); });
        });
        if (common) total += 15.0;
      }
      return total;
    }
    function order(a, b) { return b.score - a.score || items[a.item].o - items[b.item].o; }
    function rank(concepts, stage) {
      var perWord = [], common = null;
      for (var n = 0; n < concepts.length; n++) {
        var found = byItem(conceptHits(concepts[n], stage));
        common = n === 0 ? Array.from(found.keys()) : common.filter(function (i) { return found.has(i); });
        if (!common.length) return [];
        perWord.push(found);
      }
      return common.map(function (i) {
        var hits = perWord.map(function (d) { return d.get(i); });
        return { item: i, score: score(hits), hits: [].concat.apply([], hits) };
      }).sort(order);
    }
    function told(concept) {
      return concept.terms.some(function (t) {
        return t.via === DEPARTMENT || (t.via === SYNONYM && t.weight >= W.domain);
      });
    }
    function rankPartial(concepts) {
      var perConcept = concepts.map(function (c) { return byItem(conceptHits(c, "exact")); });
      var unmatched = concepts.filter(function (c, n) { return !perConcept[n].size; }).map(function (c) { return c.word; });
      if (unmatched.length === concepts.length) return [[], unmatched];
      var union = new Set();
      perConcept.forEach(function (f) { f.forEach(function (_, i) { union.add(i); }); });
      var total = Math.max(union.size, 1);
      var weight = perConcept.map(function (f, n) {
        return f.size ? Math.log1p(total / f.size) * (told(concepts[n]) ? L.told : 1.0) : 0.0;
      });
      var scores = new Map();
      perConcept.forEach(function (f, n) {
        f.forEach(function (_, i) { scores.set(i, (scores.has(i) ? scores.get(i) : 0.0) + weight[n]); });
      });
      var out = [];
      scores.forEach(function (held, i) {
        var hits = perConcept.filter(function (f) { return f.has(i); }).map(function (f) { return f.get(i); });
        out.push({ item: i, score: L.per_concept * held + score(hits), hits: [].concat.apply([], hits) });
      });
      return [out.sort(order), unmatched];
    }
    // -- query.search_related ------------------------------------------------------------
    function hanGrams(text, out) {
      var run = "", chars = text + " ";
      for (var k = 0; k < chars.length; k++) {
        var ch = chars[k];
        if (isHan(ch)) { run += ch; continue; }
        for (var i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
        run = "";
      }
    }
    function profiles(among) {  // among: a Set of item indices
      var grams = new Map(), df = new Map();
      LINES.forEach(function (line) {
        if (!among.has(line.item)) return;
        if (!grams.has(line.item)) grams.set(line.item, new Set());
        hanGrams(line.text, grams.get(line.item));
      });
      grams.forEach(function (found) {
        STOP.forEach(function (w) { found.delete(w); });
        found.forEach(function (g) { df.set(g, (df.get(g) || 0) + 1); });
      });
      var n = grams.size, weight = new Map(), sorted = new Map(), norm = new Map();
      df.forEach(function (d, g) { var w = Math.log(1.0 + n / (d + 0.5)); weight.set(g, w * w); });
      grams.forEach(function (found, item) {
        var list = Array.from(found).sort(), total = 0.0;
        list.forEach(function (g) { total += weight.get(g); });
        sorted.set(item, list);
        norm.set(item, Math.sqrt(total) || 1.0);
      });
      return { weight: weight, grams: sorted, norm: norm };
    }
    function round(x, digits) { var f = Math.pow(10, digits); return Math.round(x * f) / f; }
    function neighbours(first, lastScore, have, count) {
      if (count <= 0) return [];
      var same = new Set([first]);
      items[first].departments.forEach(function (d) { (BY_DEPT.get(d) || []).forEach(function (i) { same.add(i); }); });
      if (same.size < 2 || same.size > L.neighbour_max) return [];
      var P = profiles(same), mine = new Set(P.grams.get(first) || []), like = [];
      if (!mine.size) return [];
      P.grams.forEach(function (found, other) {
        if (other === first) return;
        var shared = 0.0;
        found.forEach(function (g) { if (mine.has(g)) shared += P.weight.get(g); });
        if (!shared) return;
        var c = shared / (P.norm.get(first) * P.norm.get(other));
        if (!have.has(other) && c >= L.neighbour_floor) like.push({ c: round(c, 9), item: other });
      });
      like.sort(function (a, b) { return b.c - a.c || items[a.item].o - items[b.item].o; });
      return like.slice(0, count).map(function (x) {
        return { item: x.item, score: round(lastScore * x.c, 6), hits: [] };
      });
    }
    function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
    function notIn(ranked) {
      var have = new Set(ranked.map(function (r) { return r.item; }));
      return function (r) { return !have.has(r.item); };
    }

    // {results: [{item, score, hits}], unmatched, partial}; null for an empty query.
    function search(query, limit) {
      if (!query.split(/\s+/).filter(Boolean).length) return null;
      var concepts = understand(query, AUTO), readings = [concepts];
      var whole = understand(query, WHOLE);
      if (!same(whole, concepts) && concepts.some(function (k) { return !(understood(k) || present(k.word)); })) {
        readings.push(whole);
      }
      var ranked = [], reading = 0, stages = ["exact", "homophone", "fuzzy"];
      for (var s = 0; s < stages.length && !ranked.length; s++) {
        for (reading = 0; reading < readings.length; reading++) {
          ranked = rank(readings[reading], stages[s]);
          if (ranked.length) break;
        }
        if (reading === readings.length) reading = readings.length - 1;
      }
      var split = concepts;
      if (ranked.length && reading === 0) {
        split = understand(query, SPLIT);
        if (!same(split, concepts)) ranked = ranked.concat(rank(split, "exact").filter(notIn(ranked)));
      }
      var unmatched = [], partial = false;
      var words = concepts.length > 1 || !ranked.length ? concepts : split;
      if (words.length > 1 && words.length <= L.partial_max && ranked.length < L.related &&
          (!ranked.length || reading === 0)) {
        var more = rankPartial(words);
        unmatched = more[1];
        partial = !ranked.length && more[0].length > 0;
        ranked = ranked.concat(more[0].filter(notIn(ranked)).slice(0, L.related - ranked.length));
        if (!partial) unmatched = [];
      }
      var byWords = ranked.length;
      if (ranked.length > 0 && ranked.length < Math.min(L.related, limit || L.related) && items.length <= L.large) {
        ranked = ranked.concat(neighbours(ranked[0].item, ranked[ranked.length - 1].score,
                                          new Set(ranked.map(function (r) { return r.item; })),
                                          L.related - ranked.length));
      }
      if (limit != null) ranked = ranked.slice(0, limit);
      return { results: ranked, unmatched: unmatched, partial: partial, byWords: Math.min(byWords, ranked.length) };
    }
    return { search: search, understand: understand, lines: LINES };
  }
  return { Engine: Engine };
})();
