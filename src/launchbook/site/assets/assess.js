/* launchbook: "Assess your organization", offline.
 *
 * The questions and the scoring rules are embedded in the page as JSON at build
 * time (launchbook.assess.page_data). score() below follows exactly the rules of
 * launchbook.assess.score (tests/test_assess.py runs both on the same answers).
 * Answers are kept in localStorage; export/import use the answers-file YAML that
 * `launchbook assess` reads (a tiny emitter/parser for that one flat format).
 * No network access of any kind.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------ scoring (mirror of assess._section / score)
  function section(data, qs, answers) {
    var rules = data.rules;
    var weights = rules.weights;
    var excluded = rules.excluded;
    var meets = rules.meets_level;
    var ladder = data.levels.slice().sort(function (a, b) { return a - b; });
    var counts = {};
    rules.answers.forEach(function (a) { counts[a] = 0; });
    counts.unanswered = 0;
    var total = 0.0;
    var applicable = 0;
    var top = null;
    var block = null;
    var blockers = [];
    qs.forEach(function (q) {
      var a = Object.prototype.hasOwnProperty.call(answers, q.id) ? answers[q.id] : null;
      if (a === null || a === undefined) {
        counts.unanswered += 1;
        a = rules.unanswered;
      } else {
        counts[a] += 1;
      }
      if (excluded.indexOf(a) >= 0) return;
      applicable += 1;
      total += weights[a];
      var lv = q.level;
      top = (top === null || lv > top) ? lv : top;
      if (meets.indexOf(a) < 0) {
        if (block === null || lv < block) { block = lv; blockers = [q.id]; }
        else if (lv === block) blockers.push(q.id);
      }
    });
    if (top === null) {
      return { level: null, score: null, applicable: 0, counts: counts, held_back_by: [], next_level: null };
    }
    var level = ladder[0];
    ladder.forEach(function (c) {
      if (c <= top && (block === null || c < block) && c > level) level = c;
    });
    var next = null;
    for (var i = 0; i < ladder.length; i++) {
      if (level < ladder[i] && ladder[i] <= top) { next = ladder[i]; break; }
    }
    return { level: level, score: total / applicable, applicable: applicable, counts: counts,
             held_back_by: blockers, next_level: next };
  }

  function withId(id, obj) {
    var out = { id: id };
    Object.keys(obj).forEach(function (k) { out[k] = obj[k]; });
    return out;
  }

  function score(data, answers) {
    var qs = data.questions;
    var categories = data.categories.map(function (c) {
      return withId(c, section(data, qs.filter(function (q) { return q.category === c; }), answers));
    });
    var phases = data.phases.map(function (p) {
      return withId(p, section(data, qs.filter(function (q) { return q.phase === p; }), answers));
    });
    var overall = section(data, qs, answers);
    overall.limited_by = categories.filter(function (c) {
      return c.held_back_by.some(function (id) { return overall.held_back_by.indexOf(id) >= 0; });
    }).map(function (c) { return c.id; });
    return { overall: overall, categories: categories, phases: phases };
  }

  // ------------------------------------------------------------ what to do next (mirror of assess.scoring.plan)
  // Each embedded remediation carries (scoring.plan_data): questions (what doing it answers yes),
  // requires, prerequisites (transitive) and rank ([phase index, file index]).
  function rankLess(a, b) { return a[0] !== b[0] ? a[0] < b[0] : a[1] < b[1]; }

  // items in dependency order: repeatedly the smallest rank among those whose prerequisites (within
  // items) are placed; on a cycle (the checks report it), every item by rank
  function ordered(items) {
    var ids = {};
    items.forEach(function (m) { ids[m.id] = m; });
    var pending = {};
    var keys = [];
    items.forEach(function (m) {
      if (Object.prototype.hasOwnProperty.call(pending, m.id)) return;
      var before = {};
      m.prerequisites.forEach(function (p) { if (ids[p]) before[p] = true; });
      pending[m.id] = before;
      keys.push(m.id);
    });
    var out = [];
    while (keys.length) {
      var first = null;
      keys.forEach(function (id) {
        if (Object.keys(pending[id]).length) return;
        if (first === null || rankLess(ids[id].rank, ids[first].rank)) first = id;
      });
      if (first === null) {
        return Object.keys(ids).sort(function (a, b) {
          return rankLess(ids[a].rank, ids[b].rank) ? -1 : rankLess(ids[b].rank, ids[a].rank) ? 1 : 0;
        });
      }
      out.push(first);
      delete pending[first];
      keys = keys.filter(function (id) { return id !== first; });
      keys.forEach(function (id) { delete pending[id][first]; });
    }
    return out;
  }

  function close(chosen, byId, admit) {
    var stack = Object.keys(chosen);
    while (stack.length) {
      byId[stack.pop()].requires.forEach(function (req) {
        if (byId[req] && !chosen[req] && admit(req)) { chosen[req] = true; stack.push(req); }
      });
    }
  }

  // { order: remediation ids to do next, lifting: those that lift the overall level (sorted) }:
  // those answering a question not yet yes (or n/a), plus prerequisites not done (a remediation is
  // done when all its questions are yes or n/a); the lifting ones first.
  function plan(remediations, data, answers, heldBackBy) {
    var rules = data.rules;
    var has = Object.prototype.hasOwnProperty;
    var scope = {};
    data.questions.forEach(function (q) { scope[q.id] = true; });
    var byId = {};
    remediations.forEach(function (m) { byId[m.id] = m; });
    function answerOf(q) { return has.call(answers, q) && answers[q] !== null && answers[q] !== undefined ? answers[q] : null; }
    function open(q) {
      var a = answerOf(q);
      if (a === null) a = rules.unanswered;
      return scope[q] === true && rules.excluded.indexOf(a) < 0 && rules.meets_level.indexOf(a) < 0;
    }
    function done(m) {
      return m.questions.every(function (q) {
        var a = answerOf(q);
        return scope[q] === true && a !== null && (rules.meets_level.indexOf(a) >= 0 || rules.excluded.indexOf(a) >= 0);
      });
    }
    var listed = {};
    remediations.forEach(function (m) { if (m.questions.some(open)) listed[m.id] = true; });
    close(listed, byId, function (id) { return !done(byId[id]); });
    var held = {};
    heldBackBy.forEach(function (q) { held[q] = true; });
    var lifting = {};
    Object.keys(listed).forEach(function (id) {
      if (byId[id].questions.some(function (q) { return held[q]; })) lifting[id] = true;
    });
    close(lifting, byId, function (id) { return listed[id] === true; });
    var head = ordered(remediations.filter(function (m) { return lifting[m.id]; }));
    var tail = ordered(remediations.filter(function (m) { return listed[m.id] && !lifting[m.id]; }));
    return { order: head.concat(tail), lifting: Object.keys(lifting).sort() };
  }

  // "Do next" for the page's data and {question id: answer}: the twin of assess.page.do_next_plain
  function doNext(data, answers) {
    return plan(data.remediations, data, answers, score(data, answers).overall.held_back_by);
  }

  // ------------------------------------------------------------ the answers file (mirror of assess.write_answers)
  var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

  function oneLine(s) { return String(s).split(/\s+/).filter(Boolean).join(" "); }

  function emitYaml(data, answers, notes, opts) {
    opts = opts || {};
    var out = [
      "# launchbook answers: " + oneLine(data.title) + " " + data.version,
      "# Answer each question with yes, partial, no or n/a, written as is (no quotes).",
      "# n/a needs a note saying why the question does not apply; a blank answer counts as no.",
      "# Questions are grouped by category, then phase; each names its level and its owner.",
      "# Then run: launchbook assess answers.yml",
      "playbook: " + JSON.stringify(data.playbook)
    ];
    if (opts.checklist) out.push("checklist: " + opts.checklist);
    if (opts.role) out.push("role: " + opts.role);
    out.push(opts.date ? "date: " + opts.date : "date:");
    out.push("answers:");
    // grouped by category, then phase, as assess.answers.grouped: the manifest's orders, each group
    // in the given order, a category or phase the manifest lacks last
    var byId = {};
    data.questions.forEach(function (q) { byId[q.id] = q; });
    var qs = (opts.ids || data.questions.map(function (q) { return q.id; })).map(function (id) { return byId[id]; });
    var groups = [];
    var placed = {};
    data.categories.forEach(function (c) {
      data.phases.forEach(function (p) {
        var these = qs.filter(function (q) { return q.category === c && q.phase === p; });
        these.forEach(function (q) { placed[q.id] = true; });
        if (these.length) groups.push([c, p, these]);
      });
    });
    var rest = qs.filter(function (q) { return !placed[q.id]; });
    if (rest.length) groups.push(["", "", rest]);
    var category = null;
    groups.forEach(function (g) {
      if (g[0] !== category) {
        category = g[0];
        out.push("", "  # ==== " + (g[0] ? oneLine(data.category_titles[g[0]] || "Other questions") : "Other questions") + " ====");
      }
      out.push("  # ---- phase: " + (g[1] && data.phase_titles[g[1]] ? oneLine(data.phase_titles[g[1]]) : g[1] || "other") + " ----");
      g[2].forEach(function (q) {
        var id = q.id;
        var a = answers[id] || "";
        var n = (notes[id] || "").replace(UNSAFE, " ");
        out.push("  # " + data.asks[id] + " (level " + q.level + ", " + oneLine(data.owners[id]) + ")");
        out.push("  - id: " + id);
        out.push(a ? "    answer: " + a : "    answer:");
        out.push(n ? "    note: " + JSON.stringify(n) : "    note:");
      });
    });
    return out.join("\n") + "\n";
  }

  function YamlError(line, message) {
    this.line = line;
    this.message = "line " + line + ": " + message;
  }

  // A scalar of this flat format: plain, "double" (JSON escapes) or 'single' quoted. YAML's empty
  // values (nothing, ~, null) are null; a quoted "" is the empty string, which the reader refuses.
  function scalar(raw, line) {
    var s = raw.trim();
    var value, rest;
    if (s.charAt(0) === '"') {
      var i = 1;
      while (i < s.length && s.charAt(i) !== '"') i += s.charAt(i) === "\\" ? 2 : 1;
      if (i >= s.length) throw new YamlError(line, "unclosed double quote");
      try { value = JSON.parse(s.slice(0, i + 1)); }
      catch (e) { throw new YamlError(line, "unsupported escape in a quoted value"); }
      rest = s.slice(i + 1);
    } else if (s.charAt(0) === "'") {
      var j = 1;
      value = "";
      for (;;) {
        if (j >= s.length) throw new YamlError(line, "unclosed single quote");
        if (s.charAt(j) === "'") {
          if (s.charAt(j + 1) === "'") { value += "'"; j += 2; continue; }
          break;
        }
        value += s.charAt(j);
        j += 1;
      }
      rest = s.slice(j + 1);
    } else {
      var hash = s.search(/(^|\s)#/);
      value = (hash >= 0 ? s.slice(0, hash) : s).trim();
      if (/^[[{&*!|>@`]/.test(value)) {
        throw new YamlError(line, "this page reads only plain or quoted values; use 'launchbook assess' for other YAML");
      }
      return (value === "" || value === "~" || value === "null" || value === "Null" || value === "NULL") ? null : value;
    }
    if (rest.trim() && !/^\s+#/.test(rest)) throw new YamlError(line, "unexpected text after the quoted value");
    return value;
  }

  function parseYaml(text) {
    var lines = String(text).replace(/^\ufeff/, "").replace(/\r\n?/g, "\n").split("\n");
    var fields = {};
    var entries = [];
    var inAnswers = false;
    var entry = null;
    var entryIndent = -1;
    var started = false;
    var TOP = ["playbook", "checklist", "role", "date", "answers"];
    var ENTRY = ["id", "answer", "note"];
    var fieldLines = {};
    function setField(obj, key, raw, n, allowed) {
      if (allowed.indexOf(key) < 0) throw new YamlError(n, "unknown field '" + key + "'");
      if (Object.prototype.hasOwnProperty.call(obj, key)) throw new YamlError(n, "duplicate key '" + key + "'");
      obj[key] = scalar(raw, n);
      if (obj === fields) fieldLines[key] = n;
    }
    lines.forEach(function (line, k) {
      var n = k + 1;
      if (/^\s*(#.*)?$/.test(line)) return;
      if (/^---\s*$/.test(line)) {
        if (started) throw new YamlError(n, "one document only");
        started = true;
        return;
      }
      started = true;
      if (/\t/.test(line.match(/^\s*/)[0])) throw new YamlError(n, "indent with spaces, not tabs");
      var indent = line.match(/^ */)[0].length;
      var body = line.slice(indent);
      var m;
      if (indent === 0 && !/^- /.test(body)) {
        m = body.match(/^([A-Za-z_][A-Za-z0-9_-]*):(\s.*|)$/);
        if (!m) throw new YamlError(n, "expected 'field: value'");
        entry = null;
        inAnswers = m[1] === "answers";
        if (inAnswers) {
          if (scalar(m[2], n) !== null) throw new YamlError(n, "'answers' must be a list of entries");
          if (Object.prototype.hasOwnProperty.call(fields, "answers")) throw new YamlError(n, "duplicate key 'answers'");
          fields.answers = true;
        } else {
          setField(fields, m[1], m[2], n, TOP);
        }
        return;
      }
      if (!inAnswers) throw new YamlError(n, "unexpected indentation");
      m = body.match(/^-(\s+(.*)|)$/);
      if (m) {
        entry = { line: n };
        entries.push(entry);
        entryIndent = indent;
        body = (m[2] || "").trim();
        if (!body) return;
      } else if (!entry || indent <= entryIndent) {
        throw new YamlError(n, "expected '- id: question-id'");
      }
      m = body.match(/^([A-Za-z_][A-Za-z0-9_-]*):(\s.*|)$/);
      if (!m) throw new YamlError(n, "expected 'field: value' (values on one line only)");
      setField(entry, m[1], m[2], n, ENTRY);
      if (m[1] === "id") entry.idLine = n;
      if (m[1] === "answer") entry.answerLine = n;
      if (m[1] === "note") entry.noteLine = n;
    });
    if (!Object.prototype.hasOwnProperty.call(fields, "answers")) throw new YamlError(1, "missing 'answers:'");
    delete fields.answers;
    return { fields: fields, entries: entries, lines: fieldLines };
  }

  // ------------------------------------------------------------ the CLI's limits (loader.py, schema.ANSWERS)
  var LIMITS = { bytes: 1048576, text: 20000, playbook: 200, note: 2000 };
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;  // JavaScript's $ never matches before a final newline
  var DATE = /^(n\.d\.|([0-9]{4})(-([0-9]{2})(-([0-9]{2}))?)?)$/;
  var CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]|\r(?!\n)/;

  function utf8Length(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) { n += 4; i += 1; }
      else n += 3;
    }
    return n;
  }
  function lineOf(text, index) { return text.slice(0, index).split("\n").length; }
  function hex(ch) { return "U+" + ("000" + ch.charCodeAt(0).toString(16).toUpperCase()).slice(-4); }

  // What the CLI refuses before reading any YAML: size, a BOM inside, control characters, mixed line endings.
  function rawProblems(text) {
    if (utf8Length(text) > LIMITS.bytes) return ["the file is over the 1 MiB (1,048,576-byte) limit"];
    var body = text.replace(/^\ufeff/, "");
    var errors = [];
    var bom = body.indexOf("\ufeff");
    if (bom >= 0) errors.push("line " + lineOf(body, bom) + ": byte order mark (U+FEFF) in the middle of the file");
    var bad = CONTROL.exec(body);
    if (bad) errors.push("line " + lineOf(body, bad.index) + ": control character " + hex(bad[0]) + " in text");
    if (body.indexOf("\r\n") >= 0 && /(^|[^\r])\n/.test(body)) errors.push("mixed line endings (CRLF and LF in one file)");
    var blank = body.split("\n").every(function (l) { return /^\s*(#.*)?$/.test(l); });
    if (!errors.length && blank) errors.push("line 1: the file is empty");
    return errors;
  }

  function realDate(m) {
    if (m[1] === "n.d." || !m[4]) return !m[4] || (+m[4] >= 1 && +m[4] <= 12);
    var y = +m[2], mo = +m[4], d = m[6] ? +m[6] : 1;
    var t = new Date(Date.UTC(y, mo - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
  }

  // A text field as the CLI's loader checks it: null is absent; otherwise non-empty, not too long,
  // no control character (a double-quoted escape can hold one), and the field's pattern.
  function checkText(errors, line, name, value, max, kind) {
    if (value === null || value === undefined) return null;
    if (value === "") { errors.push("line " + line + ": '" + name + "' is empty"); return null; }
    if (Array.from(value).length > max) {
      errors.push("line " + line + ": '" + name + "' is longer than " + max + " characters");
      return null;
    }
    var bad = CONTROL.exec(value);
    if (bad) { errors.push("line " + line + ": control character " + hex(bad[0]) + " in '" + name + "'"); return null; }
    if (kind === "id" && !ID.test(value)) {
      errors.push("line " + line + ": '" + value + "' is not a valid id (lower-case letters and digits joined by single hyphens)");
      return null;
    }
    if (kind === "date") {
      var m = DATE.exec(value);
      if (!m || !realDate(m)) {
        errors.push("line " + line + ": '" + value + "' is not a valid date (write YYYY, YYYY-MM or YYYY-MM-DD, or n.d.)");
        return null;
      }
    }
    return value;
  }

  // Read an answers file as `launchbook assess` reads it (assess.read_answers), with the same
  // refusals. One difference: an entry may leave 'answer' blank (this page's own export of a
  // half-filled form); the page scores it as unanswered, i.e. as no.
  function readAnswers(data, text) {
    text = String(text);
    var raw = rawProblems(text);
    if (raw.length) return { answers: {}, notes: {}, fields: {}, errors: raw };
    var parsed = parseYaml(text);
    var answers = {};
    var notes = {};
    var errors = [];
    var has = Object.prototype.hasOwnProperty;
    var f = parsed.fields;
    var fields = {};
    var fline = parsed.lines || {};
    var pb = checkText(errors, fline.playbook || 1, "playbook", f.playbook, LIMITS.playbook, "text");
    if (pb !== null) fields.playbook = pb;
    var date = checkText(errors, fline.date || 1, "date", f.date, LIMITS.text, "date");
    if (date !== null) fields.date = date;
    var scopes = data.scopes || { checklist: {}, role: {} };
    var scope = null;
    ["checklist", "role"].forEach(function (kind) {
      var id = checkText(errors, fline[kind] || 1, kind, f[kind], LIMITS.text, "id");
      if (id === null) return;
      if (!has.call(scopes[kind], id)) {
        errors.push("line " + (fline[kind] || 1) + ": unknown " + kind + " '" + id + "'");
        return;
      }
      fields[kind] = id;
      var ids = {};
      scopes[kind][id].forEach(function (q) { if (!scope || scope[q]) ids[q] = true; });
      scope = ids;
    });
    var seen = {};
    var former = data.former || {};  // a question's former ids (aliases) -> its id
    var direct = {};  // the questions answered under their current id
    parsed.entries.forEach(function (e) { if (typeof e.id === "string" && has.call(data.asks, e.id)) direct[e.id] = true; });
    var unknown = [];
    var renamed = [];
    parsed.entries.forEach(function (e) {
      var n = e.idLine || e.line;
      if (e.id === undefined || e.id === null) { errors.push("line " + e.line + ": entry without an 'id'"); return; }
      if (checkText(errors, n, "id", e.id, LIMITS.text, "id") === null) return;
      if (has.call(former, e.id) && !has.call(data.asks, e.id)) {  // a renamed question: the answer follows it
        var now = former[e.id];
        if (direct[now] || has.call(seen, now)) {
          renamed.push("line " + n + ": '" + e.id + "' is now part of question '" + now + "', which is already answered; this answer is ignored");
          return;
        }
        renamed.push("line " + n + ": question '" + e.id + "' is now '" + now + "'; the answer counts for it");
        e = { id: now, answer: e.answer, note: e.note, line: e.line, idLine: e.idLine, answerLine: e.answerLine, noteLine: e.noteLine,
              hasAnswer: has.call(e, "answer"), hasNote: has.call(e, "note") };
        if (!e.hasAnswer) delete e.answer;
        if (!e.hasNote) delete e.note;
      }
      if (e.answer === "") { errors.push("line " + (e.answerLine || n) + ": 'answer' is empty"); return; }
      var a = e.answer || "";
      if (a && data.rules.answers.indexOf(a) < 0) {
        errors.push("line " + (e.answerLine || n) + ": '" + a + "' is not allowed; use one of: " + data.rules.answers.join(", "));
        return;
      }
      var note = has.call(e, "note") ? checkText(errors, e.noteLine || n, "note", e.note, LIMITS.note, "text") : null;
      if (note === null && has.call(e, "note") && e.note !== null) return;  // refused above
      if (!has.call(data.asks, e.id)) { unknown.push(e.id); return; }  // removed upstream, or mistyped: not scored
      if (has.call(seen, e.id)) {
        errors.push("line " + n + ": question '" + e.id + "' is answered twice (first at line " + seen[e.id] + ")");
        return;
      }
      seen[e.id] = n;
      if (scope && !scope[e.id]) {
        errors.push("line " + n + ": question '" + e.id + "' is not in this file's scope (" +
          ["checklist", "role"].filter(function (k) { return fields[k]; }).map(function (k) { return k + " '" + fields[k] + "'"; }).join(" and ") + ")");
        return;
      }
      if (a && data.rules.note_required.indexOf(a) >= 0 && !(note || "").trim()) {
        errors.push("line " + (e.answerLine || n) + ": '" + a + "' for '" + e.id + "' needs a reason (a note)");
        return;
      }
      if (a) answers[e.id] = a;
      if (note) notes[e.id] = note;
    });
    // questions with no entry (added upstream since the file was written) count as unanswered
    var missing = data.questions.map(function (q) { return q.id; }).filter(function (id) {
      return !has.call(seen, id) && (!scope || scope[id]);
    });
    return { answers: answers, notes: notes, fields: fields, errors: errors, unknown: unknown, renamed: renamed, missing: missing };
  }

  // ------------------------------------------------------------ compare and trend (mirror of assess.report.shift)
  function direction(a, b) {
    if (a === null || b === null) return a === b ? "same" : "changed";
    return b > a ? "improved" : b < a ? "regressed" : "same";
  }
  // "improved" when the level and the score both rise, "regressed" when both fall, "same" when neither
  // moves, "mixed" otherwise ("changed" when one side has no score)
  function shift(level, score_) {
    var byLevel = direction(level[0], level[1]);
    var byScore = direction(score_[0], score_[1]);
    if (byLevel === "changed" || byScore === "changed") return "changed";
    return byLevel === byScore ? byLevel : "mixed";
  }
  // files read by readAnswers (each with .name), scored and ordered by their date (undated last,
  // then by name); each labelled by its date, or its name when undated or sharing a date
  function trend(data, reads) {
    var runs = reads.map(function (r) {
      var date = r.fields && r.fields.date && r.fields.date !== "n.d." ? r.fields.date : "";
      return { name: r.name || "", date: date, answers: r.answers, read: r, score: score(data, r.answers) };
    });
    runs.sort(function (a, b) {
      if (a.date !== b.date) return !a.date ? 1 : !b.date ? -1 : a.date < b.date ? -1 : 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    var count = {};
    runs.forEach(function (r) { count[r.date] = (count[r.date] || 0) + 1; });
    runs.forEach(function (r) { r.label = r.date && count[r.date] === 1 ? r.date : (r.date ? r.date + " " : "") + r.name; });
    return runs;
  }

  var api = { shift: shift, trend: trend, score: score, section: section, plan: plan, doNext: doNext, emitYaml: emitYaml, parseYaml: parseYaml, readAnswers: readAnswers };

  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  // ------------------------------------------------------------ the page
  function init() {
    var dataEl = document.getElementById("lb-assess-data");
    var form = document.getElementById("lb-assess-form");
    if (!dataEl || !form) return;
    var data = JSON.parse(dataEl.textContent);
    var key = "launchbook-assess/" + data.title;
    var state = { answers: {}, notes: {} };
    var result = document.getElementById("lb-assess-result");
    var status = document.getElementById("lb-assess-status");
    var box = document.getElementById("lb-assess-yaml");
    var fmBase = form.getAttribute("data-fm-base") || "";
    var TOP = 10;
    var known = {};
    data.questions.forEach(function (q) { known[q.id] = q; });

    function load() {
      try {
        var saved = JSON.parse(window.localStorage.getItem(key) || "{}");
        Object.keys(saved.answers || {}).forEach(function (id) {
          if (known[id] && data.rules.answers.indexOf(saved.answers[id]) >= 0) state.answers[id] = saved.answers[id];
        });
        Object.keys(saved.notes || {}).forEach(function (id) {
          if (known[id] && typeof saved.notes[id] === "string") state.notes[id] = saved.notes[id];
        });
      } catch (e) { /* storage unavailable or corrupt: start empty */ }
    }
    function save() {
      try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode */ }
    }
    function suffix(a) { return a === "n/a" ? "na" : a; }
    function fillForm() {
      data.questions.forEach(function (q) {
        data.rules.answers.forEach(function (a) {
          var el = document.getElementById("q-" + q.id + "-" + suffix(a));
          if (el) el.checked = state.answers[q.id] === a;
        });
        var note = document.getElementById("note-" + q.id);
        if (note) note.value = state.notes[q.id] || "";
      });
    }
    function el(tag, attrs, text) {
      var e = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) e.textContent = text;
      return e;
    }
    function pct(x) { return x === null ? "—" : Math.round(x * 100) + "%"; }
    function lv(x) { return x === null ? "—" : String(x); }
    // a wide table in a region that scrolls sideways on a narrow screen, reachable by keyboard
    function scroller(label, child) {
      var box = el("div", { "class": "lb-scroll", tabindex: "0", role: "region", "aria-label": label });
      box.appendChild(child);
      return box;
    }
    function table(caption, kind, rows, titles) {
      var t = el("table", { "class": "lb-assess-table" });
      t.appendChild(el("caption", {}, caption));
      var head = el("tr");
      [kind, "Level", "Score", "yes", "partial", "no", "n/a", "unanswered"].forEach(function (h) {
        head.appendChild(el("th", { scope: "col" }, h));
      });
      t.appendChild(el("thead")).appendChild(head);
      var body = t.appendChild(el("tbody"));
      rows.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("th", { scope: "row" }, titles[r.id] || r.id));
        [lv(r.level), pct(r.score), r.counts.yes, r.counts.partial, r.counts.no, r.counts["n/a"], r.counts.unanswered]
          .forEach(function (v) { tr.appendChild(el("td", {}, String(v))); });
        body.appendChild(tr);
      });
      return scroller(caption, t);
    }
    function render() {
      var r = score(data, state.answers);
      var o = r.overall;
      result.textContent = "";
      var answered = Object.keys(state.answers).length;
      result.appendChild(el("p", { "class": "lb-assess-level" },
        (o.level === null ? "Not scored: every answer is n/a" :
          "Level " + o.level + " — " + (data.level_names[String(o.level)] || "")) + " (score " + pct(o.score) + "; " +
        answered + " of " + data.questions.length + " answered" +
        (o.counts.unanswered ? ", unanswered questions count as no" : "") + ")"));
      if (o.held_back_by.length) {
        result.appendChild(el("p", {}, "Held back by: level " + o.next_level + " needs every question of level " +
          o.next_level + " or below answered yes; these are not:"));
        var ul = el("ul");
        o.held_back_by.slice(0, 12).forEach(function (id) {
          var li = el("li");
          var a = el("a", { href: "#aq-" + id }, data.asks[id]);
          li.appendChild(document.createTextNode("[" + (state.answers[id] || "unanswered") + "] "));
          li.appendChild(a);
          li.appendChild(document.createTextNode(" (" + data.owners[id] + ")"));
          ul.appendChild(li);
        });
        if (o.held_back_by.length > 12) ul.appendChild(el("li", {}, "… and " + (o.held_back_by.length - 12) + " more"));
        result.appendChild(ul);
      }
      result.appendChild(table("By category", "Category", r.categories, data.category_titles));
      result.appendChild(table("By phase", "Phase", r.phases, data.phase_titles));
      // what to do next: the remediations answering a question not yet yes, with their prerequisites
      // not done; those that lift the overall level first, each group in dependency order
      var next = plan(data.remediations, data, state.answers, o.held_back_by);
      var byId = {};
      data.remediations.forEach(function (m) { byId[m.id] = m; });
      var lifting = {};
      next.lifting.forEach(function (id) { lifting[id] = true; });
      if (next.order.length) {
        result.appendChild(el("h3", {}, "Do next, in dependency order"));
        var ol = el("ol", { "class": "lb-assess-next" });
        next.order.slice(0, TOP).forEach(function (id) {
          var m = byId[id];
          var li = el("li");
          li.appendChild(document.createTextNode("[" + m.effort + "] "));
          li.appendChild(el("a", { href: fmBase + m.failure_mode + "/#rem-" + m.id }, m.title));
          li.appendChild(document.createTextNode(" — " + m.owner + (lifting[m.id] ? " (unblocks the next level)" : "")));
          ol.appendChild(li);
        });
        result.appendChild(ol);
        if (next.order.length > TOP) {
          result.appendChild(el("p", {}, "… and " + (next.order.length - TOP) + " more (the full list: launchbook assess answers.yml)."));
        }
      }
    }
    function today() {
      var d = new Date();
      function two(n) { return (n < 10 ? "0" : "") + n; }
      return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
    }

    form.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t.type === "radio" && t.name.indexOf("q-") === 0) {
        state.answers[t.name.slice(2)] = t.value;
      } else if (t.type === "text" && t.name.indexOf("note-") === 0) {
        var v = t.value.replace(UNSAFE, " ");
        if (v.trim()) state.notes[t.name.slice(5)] = v; else delete state.notes[t.name.slice(5)];
      }
      save();
      render();
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    document.getElementById("lb-assess-export").addEventListener("click", function () {
      var text = emitYaml(data, state.answers, state.notes, { date: today() });
      box.value = text;
      try {
        var url = URL.createObjectURL(new Blob([text], { type: "text/yaml" }));
        var a = el("a", { href: url, download: "answers.yml" });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      } catch (e) { /* the text box holds it */ }
      var missing = data.questions.length - Object.keys(state.answers).length;
      status.textContent = "Exported " + Object.keys(state.answers).length + " answers" +
        (missing ? "; " + missing + " questions are still unanswered and count as no." : ".");
    });
    // what an older file meets after an upstream update, in words (as the CLI's notes and warning)
    function upstream(res) {
      var out = "";
      if (res.renamed.length) out += " " + res.renamed.length + " answer(s) under a former question id counted for the renamed question.";
      if (res.unknown.length) out += " Left out, for questions these playbooks do not have: " + res.unknown.join(", ") + ".";
      if (res.missing.length && res.missing.length < data.questions.length) {
        out += " " + res.missing.length + " question(s) have no entry in the file (new since it was written?) and count as unanswered" +
          (res.missing.length <= 5 ? ": " + res.missing.join(", ") : "") + ".";
      }
      return out;
    }
    function importText(text) {
      var res;
      try { res = readAnswers(data, text); }
      catch (e) { status.textContent = "Not imported: " + (e.message || String(e)); return; }
      if (res.errors.length) {
        status.textContent = "Not imported: " + res.errors.slice(0, 5).join("; ") + (res.errors.length > 5 ? "; …" : "");
        return;
      }
      state.answers = res.answers;
      state.notes = res.notes;
      save();
      fillForm();
      render();
      status.textContent = "Imported " + Object.keys(res.answers).length + " answers" +
        (res.fields.date ? " dated " + res.fields.date : "") + "." + upstream(res);
    }
    document.getElementById("lb-assess-import").addEventListener("click", function () { importText(box.value); });
    document.getElementById("lb-assess-file").addEventListener("change", function (ev) {
      var f = ev.target.files && ev.target.files[0];
      if (!f) return;
      if (f.size > LIMITS.bytes) { status.textContent = "Not imported: the file is over the 1 MiB limit."; return; }
      var reader = new FileReader();
      reader.onload = function () {
        var text;
        try { text = new TextDecoder("utf-8", { fatal: true }).decode(reader.result); }
        catch (e) { status.textContent = "Not imported: the file is not valid UTF-8; save it as UTF-8."; return; }
        box.value = text;
        importText(text);
      };
      reader.readAsArrayBuffer(f);
    });
    // ---------------------------------------------------------- compare and trend of several files
    var trendBox = document.getElementById("lb-assess-trend");
    var filesInput = document.getElementById("lb-assess-files");
    function readAll(files, done) {
      var out = [];
      var left = files.length;
      files.forEach(function (f, i) {
        function finish(item) { out[i] = item; left -= 1; if (!left) done(out); }
        if (f.size > LIMITS.bytes) { finish({ name: f.name, errors: ["the file is over the 1 MiB limit"] }); return; }
        var reader = new FileReader();
        reader.onload = function () {
          var text;
          try { text = new TextDecoder("utf-8", { fatal: true }).decode(reader.result); }
          catch (e) { finish({ name: f.name, errors: ["the file is not valid UTF-8; save it as UTF-8"] }); return; }
          var res;
          try { res = readAnswers(data, text); }
          catch (e) { finish({ name: f.name, errors: [e.message || String(e)] }); return; }
          res.name = f.name;
          finish(res);
        };
        reader.onerror = function () { finish({ name: f.name, errors: ["the file could not be read"] }); };
        reader.readAsArrayBuffer(f);
      });
    }
    if (filesInput && trendBox) {
      filesInput.addEventListener("change", function (ev) {
        var files = Array.prototype.slice.call(ev.target.files || []);
        if (!files.length) return;
        trendBox.textContent = "Reading " + files.length + " file(s)…";
        readAll(files, function (items) { renderTrend(trendBox, items); });
      });
    }
    function renderTrend(box, items) {
      box.textContent = "";
      var bad = items.filter(function (r) { return r.errors.length; });
      var good = items.filter(function (r) { return !r.errors.length; });
      if (bad.length) {
        box.appendChild(el("p", {}, "Not read (fix these files, or leave them out):"));
        var ul = el("ul");
        bad.forEach(function (r) { ul.appendChild(el("li", {}, r.name + ": " + r.errors.slice(0, 3).join("; "))); });
        box.appendChild(ul);
      }
      if (good.length < 2) {
        box.appendChild(el("p", {}, "Choose two or more answers files that read without errors to compare them."));
        return;
      }
      var runs = trend(data, good);
      var cols = runs.map(function (r) { return r.label; });
      var t = el("table", { "class": "lb-assess-table" });
      t.appendChild(el("caption", {}, "Levels and scores, oldest first"));
      var head = el("tr");
      head.appendChild(el("th", { scope: "col" }, "Section"));
      cols.forEach(function (c) { head.appendChild(el("th", { scope: "col" }, c)); });
      head.appendChild(el("th", { scope: "col" }, cols[0] + " → " + cols[cols.length - 1]));
      t.appendChild(el("thead")).appendChild(head);
      var body = t.appendChild(el("tbody"));
      function row(title, pick) {
        var tr = el("tr");
        tr.appendChild(el("th", { scope: "row" }, title));
        runs.forEach(function (r) {
          var s = pick(r.score);
          tr.appendChild(el("td", {}, s.level === null ? "not scored" : "level " + lv(s.level) + " · " + pct(s.score)));
        });
        var a = pick(runs[0].score), b = pick(runs[runs.length - 1].score);
        var v = shift([a.level, b.level], [a.score, b.score]);
        tr.appendChild(el("td", { "class": "lb-shift lb-shift-" + v }, a.level === null && b.level === null ? "not scored (every answer n/a)" :
          v + ": level " + lv(a.level) + " → " + lv(b.level) + ", score " + pct(a.score) + " → " + pct(b.score)));
        body.appendChild(tr);
      }
      row("Overall", function (s) { return s.overall; });
      data.categories.forEach(function (c, i) { row(data.category_titles[c] || c, function (s) { return s.categories[i]; }); });
      data.phases.forEach(function (p, i) { row((data.phase_titles[p] || p) + " (phase)", function (s) { return s.phases[i]; }); });
      box.appendChild(scroller("Levels and scores over time", t));
      box.appendChild(trendChart(runs));
      var first = runs[0], last = runs[runs.length - 1];
      var changed = data.questions.filter(function (q) {
        return (first.answers[q.id] || "unanswered") !== (last.answers[q.id] || "unanswered");
      });
      box.appendChild(el("h3", {}, changed.length + " answer(s) changed from " + first.label + " to " + last.label));
      if (changed.length) {
        var ol = el("ul");
        changed.slice(0, 25).forEach(function (q) {
          ol.appendChild(el("li", {}, "[" + (first.answers[q.id] || "unanswered") + " → " + (last.answers[q.id] || "unanswered") + "] " + data.asks[q.id]));
        });
        if (changed.length > 25) ol.appendChild(el("li", {}, "… and " + (changed.length - 25) + " more"));
        box.appendChild(ol);
      }
      var notes = runs.map(function (r) { return upstream(r.read) ? r.label + ":" + upstream(r.read) : ""; }).filter(Boolean);
      notes.forEach(function (n) { box.appendChild(el("p", { "class": "lb-q-meta" }, n)); });
    }
    // the overall score over time as a line, the level as labelled dots: an SVG built with
    // attributes and classes only (the site's CSP allows no inline style)
    function trendChart(runs) {
      var NS = "http://www.w3.org/2000/svg";
      var W = 560, H = 200, L = 44, R = 16, T = 16, B = 40;
      function svg(tag, attrs, text) {
        var e = document.createElementNS(NS, tag);
        Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
        if (text !== undefined) e.textContent = text;
        return e;
      }
      var root = svg("svg", { viewBox: "0 0 " + W + " " + H, "class": "lb-trend-chart", role: "img",
        "aria-label": "Overall score by date: " + runs.map(function (r) { return r.label + " " + pct(r.score.overall.score) +
          " (level " + lv(r.score.overall.level) + ")"; }).join(", ") });
      function x(i) { return L + (runs.length === 1 ? 0 : i * (W - L - R) / (runs.length - 1)); }
      function y(v) { return T + (1 - v) * (H - T - B); }
      [0, 0.5, 1].forEach(function (v) {
        root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), "class": "lb-trend-grid" }));
        root.appendChild(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", "class": "lb-trend-label" }, Math.round(v * 100) + "%"));
      });
      var pts = runs.map(function (r, i) { return x(i) + "," + y(r.score.overall.score || 0); }).join(" ");
      root.appendChild(svg("polyline", { points: pts, "class": "lb-trend-line" }));
      runs.forEach(function (r, i) {
        var s = r.score.overall;
        root.appendChild(svg("circle", { cx: x(i), cy: y(s.score || 0), r: 4, "class": "lb-trend-dot" }));
        root.appendChild(svg("text", { x: x(i), y: y(s.score || 0) - 9, "text-anchor": "middle", "class": "lb-trend-label" }, "L" + lv(s.level)));
        var anchor = runs.length > 1 && i === 0 ? "start" : runs.length > 1 && i === runs.length - 1 ? "end" : "middle";
        root.appendChild(svg("text", { x: x(i), y: H - B + 18, "text-anchor": anchor, "class": "lb-trend-label" }, r.label));
      });
      return scroller("Chart of the overall score over time", root);
    }

    document.getElementById("lb-assess-reset").addEventListener("click", function () {
      if (!window.confirm("Clear every answer and note kept in this browser?")) return;
      state = { answers: {}, notes: {} };
      save();
      fillForm();
      render();
      status.textContent = "All answers cleared.";
    });

    load();
    fillForm();
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
