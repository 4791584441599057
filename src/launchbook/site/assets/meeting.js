/* launchbook: run a checklist page as a meeting, offline.
 *
 * Every control is in the page's HTML (launchbook.site.meeting, templates/checklist.md.j2);
 * this script only wires them up, with addEventListener and CSS classes: the site's
 * Content-Security-Policy allows no inline script, handler attribute or style.
 * What the meeting enters is kept in localStorage under one key per checklist, until "Clear
 * this meeting". "Export minutes" downloads Markdown minutes and an answers file that
 * `launchbook assess` reads (the format of launchbook.assess.answers.write_answers, scoped to
 * the checklist). Nothing is sent anywhere.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("lb-meeting-data");
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var KEY = "launchbook-meeting:" + data.checklist;
  var status = document.getElementById("lb-m-status");
  var actionsBody = document.querySelector("#lb-m-actions tbody");

  function byId(id) { return document.getElementById(id); }
  function say(text) { if (status) status.textContent = text; }

  // ------------------------------------------------------------ the controls
  function answerOf(key) {
    var checked = document.querySelector('input[name="answer-' + key + '"]:checked');
    return checked ? checked.value : "";
  }

  function setAnswer(key, value) {
    document.querySelectorAll('input[name="answer-' + key + '"]').forEach(function (r) {
      r.checked = r.value === value;
    });
  }

  function actionRows() { return actionsBody ? actionsBody.querySelectorAll("tr") : []; }

  function addActionRow() {
    var n = actionRows().length + 1;
    var tr = document.createElement("tr");
    [["what", "text", "Action " + n], ["owner", "text", "Owner of action " + n],
     ["due", "date", "Due date of action " + n]].forEach(function (f) {
      var td = document.createElement("td");
      var input = document.createElement("input");
      input.type = f[1];
      input.id = "action-" + n + "-" + f[0];
      input.name = input.id;
      input.setAttribute("aria-label", f[2]);
      if (f[0] === "owner") input.setAttribute("list", "lb-m-roles");
      if (f[1] === "text") input.maxLength = f[0] === "what" ? 500 : 200;
      td.appendChild(input);
      tr.appendChild(td);
    });
    actionsBody.appendChild(tr);
    return tr;
  }

  function value(id) { var e = byId(id); return e ? e.value : ""; }
  function setValue(id, v) { var e = byId(id); if (e) e.value = v || ""; }

  // ------------------------------------------------------------ state <-> page
  function collect() {
    var state = { version: 1, ticks: {}, answers: {}, notes: {}, actions: [] };
    data.items.forEach(function (it) {
      var tick = byId("tick-" + it.key);
      if (tick && tick.checked) state.ticks[it.key] = true;
      var a = answerOf(it.key);
      if (a) state.answers[it.key] = a;
      var n = value("note-" + it.key);
      if (n) state.notes[it.key] = n;
    });
    var decision = document.querySelector('input[name="decision"]:checked');
    state.decision = decision ? decision.value : "";
    state.conditions = value("lb-m-conditions");
    for (var i = 1; i <= actionRows().length; i++) {
      state.actions.push({ what: value("action-" + i + "-what"), owner: value("action-" + i + "-owner"),
                           due: value("action-" + i + "-due") });
    }
    state.recorder = value("lb-m-recorder");
    state.date = value("lb-m-date");
    return state;
  }

  function text(v) { return typeof v === "string" ? v : ""; }

  function apply(state) {
    var s = state && typeof state === "object" ? state : {};
    var ticks = s.ticks || {}, answers = s.answers || {}, notes = s.notes || {};
    data.items.forEach(function (it) {
      var tick = byId("tick-" + it.key);
      if (tick) tick.checked = ticks[it.key] === true;
      setAnswer(it.key, text(answers[it.key]));
      setValue("note-" + it.key, text(notes[it.key]));
    });
    document.querySelectorAll('input[name="decision"]').forEach(function (r) { r.checked = r.value === s.decision; });
    setValue("lb-m-conditions", text(s.conditions));
    var actions = Array.isArray(s.actions) ? s.actions : [];
    while (actionRows().length < actions.length) addActionRow();
    for (var i = 1; i <= actionRows().length; i++) {
      var a = actions[i - 1] || {};
      setValue("action-" + i + "-what", text(a.what));
      setValue("action-" + i + "-owner", text(a.owner));
      setValue("action-" + i + "-due", text(a.due));
    }
    setValue("lb-m-recorder", text(s.recorder));
    setValue("lb-m-date", text(s.date));
  }

  var storageOk = true;
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(collect())); }
    catch (e) {
      if (storageOk) say("This browser does not keep the meeting (local storage is off): export the minutes before you leave.");
      storageOk = false;
    }
  }

  function load() {
    try {
      var raw = localStorage.getItem(KEY);
      if (raw) { apply(JSON.parse(raw)); say("The meeting in progress was restored from this browser."); }
    } catch (e) { /* nothing kept, or not readable: start empty */ }
  }

  // a tick is a confident "yes": ticking a question answers it Yes, and Yes ticks it
  function sync(target) {
    var key, m = /^tick-(q-.+)$/.exec(target.id || "");
    if (m) {
      key = m[1];
      if (target.checked) setAnswer(key, "yes");
      else if (answerOf(key) === "yes") setAnswer(key, "");
      return;
    }
    m = /^answer-(q-.+)$/.exec(target.name || "");
    if (m && target.checked) {
      var tick = byId("tick-" + m[1]);
      if (tick) tick.checked = target.value === "yes";
    }
  }

  // ------------------------------------------------------------ exports
  var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
  function oneLine(s) { return String(s).replace(UNSAFE, " ").split(/\s+/).filter(Boolean).join(" "); }
  function md(s) { return oneLine(s).replace(/([\\`*_{}\[\]()#+!|<>~])/g, "\\$1"); }
  var LABELS = { yes: "Yes", no: "No", "n/a": "N/A" };

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function answerFor(state, it) {
    return state.answers[it.key] || (state.ticks[it.key] ? "yes" : "");
  }

  function minutes(state, date) {
    var out = ["# Minutes: " + md(data.title), "",
               "**Meeting:** " + md(data.meeting) + "\\",
               "**Date:** " + date + "\\",
               "**Recorded by:** " + (md(state.recorder) || "_not recorded_"), "",
               "## Decision", ""];
    out.push(state.decision ? "**" + md(state.decision) + "**" : "_No decision recorded._");
    if (state.conditions) out.push("", "**Conditions or reasons:** " + md(state.conditions));
    out.push("", "## Items", "");
    data.items.forEach(function (it) {
      var a = it.kind === "question" ? answerFor(state, it) : "";
      var done = state.ticks[it.key] ? "[x]" : "[ ]";
      var line = "- " + done + " " + (it.blocking ? "**Blocking:** " : "") + md(it.text) + " — **" + md(it.owner) + "**";
      if (it.kind === "question") line += " · Answer: " + (a ? LABELS[a] : "_none_");
      if (state.notes[it.key]) line += " · Note: " + md(state.notes[it.key]);
      out.push(line);
    });
    var actions = state.actions.filter(function (x) { return x.what || x.owner || x.due; });
    out.push("", "## Actions", "");
    if (!actions.length) out.push("_No action recorded._");
    else {
      out.push("| Action | Owner | Due |", "|---|---|---|");
      actions.forEach(function (x) { out.push("| " + md(x.what) + " | " + md(x.owner) + " | " + md(x.due) + " |"); });
    }
    if (data.deciders.length) {
      out.push("", "## Sign-off", "", "| Name | Role | Signature | Date |", "|---|---|---|---|");
      data.deciders.forEach(function (d) { out.push("|  | " + md(d) + " |  |  |"); });
    }
    out.push("", "<sub>" + md(data.playbook) + " · checklist `" + data.checklist + "` · exported from the launchbook site</sub>");
    return out.join("\n") + "\n";
  }

  function answersFile(state, date) {
    var out = ["# launchbook answers: " + oneLine(data.playbook) + ", checklist " + data.checklist,
               "# Written by the meeting mode of the checklist's page; a blank answer counts as no.",
               "# n/a needs a note saying why the question does not apply.",
               "# Then run: launchbook assess answers.yml",
               "playbook: " + JSON.stringify(data.playbook),
               "checklist: " + data.checklist,
               "date: " + date,
               "answers:"];
    var missing = [], noNote = [];
    data.items.forEach(function (it) {
      if (it.kind !== "question") return;
      var a = answerFor(state, it);
      var note = oneLine(state.notes[it.key] || "");
      if (!a) missing.push(it.id);
      else if (data.needs_note.indexOf(a) >= 0 && !note) noNote.push(it.id);
      out.push("  # " + oneLine(it.text) + " (" + oneLine(it.owner) + ")");
      out.push("  - id: " + it.id);
      out.push(a ? "    answer: " + a : "    answer:");
      out.push(note ? "    note: " + JSON.stringify(note) : "    note:");
    });
    return { text: out.join("\n") + "\n", missing: missing, noNote: noNote };
  }

  var links = [];
  function download(name, body, type) {
    var url = URL.createObjectURL(new Blob([body], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.textContent = name;
    links.push(url);
    return a;
  }

  function exportAll() {
    var state = collect();
    var date = /^\d{4}-\d{2}-\d{2}$/.test(state.date) ? state.date : today();
    var ans = answersFile(state, date);
    var base = data.checklist + "-" + date;
    links.forEach(function (u) { URL.revokeObjectURL(u); });
    links = [];
    var m = download(base + "-minutes.md", minutes(state, date), "text/markdown;charset=utf-8");
    var y = download(base + "-answers.yml", ans.text, "text/yaml;charset=utf-8");
    status.textContent = "Exported: ";
    status.appendChild(m);
    status.appendChild(document.createTextNode(" and "));
    status.appendChild(y);
    var more = [];
    if (ans.missing.length) more.push(ans.missing.length + " question(s) have no answer (launchbook assess counts them as no): " + ans.missing.join(", "));
    if (ans.noNote.length) more.push("N/A needs a note: " + ans.noNote.join(", "));
    status.appendChild(document.createTextNode(more.length ? ". " + more.join(". ") + "." : "."));
    m.click();
    y.click();
  }

  function clearAll() {
    if (!window.confirm("Clear everything entered for this meeting in this browser?")) return;
    try { localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
    apply({});
    while (actionRows().length > data.action_rows) actionsBody.removeChild(actionsBody.lastElementChild);
    say("Cleared: nothing of this meeting is kept in this browser any more.");
  }

  // ------------------------------------------------------------ wiring
  var root = document.querySelector(".md-content") || document.body;
  root.addEventListener("change", function (e) { sync(e.target); save(); });
  root.addEventListener("input", save);
  byId("lb-m-export").addEventListener("click", exportAll);
  byId("lb-m-clear").addEventListener("click", clearAll);
  var add = byId("lb-m-add-action");
  if (add) add.addEventListener("click", function () { addActionRow().querySelector("input").focus(); save(); });
  document.documentElement.classList.add("lb-meeting-ready");
  load();
}());
