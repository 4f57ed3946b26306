// Weft web UI: hash routes over the JSON of api/v1 (relative URLs: works at the AM, behind the
// ResourceManager's proxy and in the history server). Polls the current view every 2 s.
'use strict';
const PAGE = 100;
let appId = null;
let timer = null;

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}
function bytes(n) {
  if (n == null) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
}
function ms(n) {
  if (n == null || n < 0) return '';
  if (n < 1000) return n + ' ms';
  if (n < 60000) return (n / 1000).toFixed(1) + ' s';
  return (n / 60000).toFixed(1) + ' min';
}
function time(t) { return t > 0 ? new Date(t).toLocaleTimeString() : ''; }
function bar(done, total) {
  const pct = total > 0 ? Math.round(100 * done / total) : 0;
  return `<span class="bar"><span style="width:${pct}%"></span></span> ${done}/${total}`;
}
/** A line saying how many older items the store dropped (weft.ui.retained*), or nothing. */
function droppedNote(n, what, key) {
  return n > 0 ? `<p class="dropped">${n} older ${what} not shown (${key}).</p>` : '';
}

async function get(path) {
  const r = await fetch('api/v1/applications' + path, {cache: 'no-store'});
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}
function table(id, heads, rows) {
  return `<table id="${id}"><tr>${heads.map(h => `<th>${h}</th>`).join('')}</tr>${rows.join('')}</table>`;
}
function row(cells) { return '<tr>' + cells.join('') + '</tr>'; }
function td(v, cls) { return `<td${cls ? ` class="${cls}"` : ''}>${v}</td>`; }
function num(v) { return td(v, 'num'); }

async function jobsView() {
  const jobs = await get('/' + appId + '/jobs');
  const app = await get('/' + appId);
  return '<h2>Jobs</h2>' + droppedNote(app.numDroppedJobs, 'finished jobs', 'weft.ui.retainedJobs') + table('jobs-table', ['Job', 'Description', 'Status', 'Submitted', 'Duration', 'Stages', 'Tasks'],
    jobs.map(j => row([td(`<a href="#/job/${j.jobId}">${j.jobId}</a>`), td(esc(j.name)), td(j.status, j.status),
      td(time(j.submissionTime)), num(ms(j.duration)),
      td(bar(j.numCompletedStages, j.numStages - j.numSkippedStages) + (j.numSkippedStages ? ` (${j.numSkippedStages} skipped)` : '')),
      td(bar(j.numCompletedTasks, j.numTasks))])));
}

const COLORS = {COMPLETE: '#c8e6c9', ACTIVE: '#bbdefb', FAILED: '#ffcdd2', PENDING: '#f5f5f5', SKIPPED: '#eeeeee'};

// Stages as boxes in columns by depth (longest path from an input), shuffle edges between them.
function dagSvg(stages) {
  const byId = new Map(stages.map(s => [s.stageId, s]));
  const depth = new Map();
  const depthOf = s => {
    if (depth.has(s.stageId)) return depth.get(s.stageId);
    depth.set(s.stageId, 0);
    let d = 0;
    for (const p of s.parentIds) if (byId.has(p)) d = Math.max(d, depthOf(byId.get(p)) + 1);
    depth.set(s.stageId, d);
    return d;
  };
  stages.forEach(depthOf);
  const W = 260, GAP = 70, LINE = 14;
  const cols = [];
  stages.forEach(s => { const d = depth.get(s.stageId); (cols[d] = cols[d] || []).push(s); });
  const pos = new Map();
  let height = 0;
  cols.forEach((col, c) => {
    let y = 10;
    col.forEach(s => {
      const ops = s.operations.length ? s.operations : [s.name];
      const h = 40 + LINE * ops.length;
      pos.set(s.stageId, {x: 10 + c * (W + GAP), y, h, ops});
      y += h + 20;
    });
    height = Math.max(height, y);
  });
  const width = 20 + cols.length * (W + GAP);
  let svg = `<svg id="dag-svg" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`;
  svg += '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>';
  stages.forEach(s => s.parentIds.forEach(p => {
    const a = pos.get(p), b = pos.get(s.stageId);
    if (!a || !b) return;
    const x1 = a.x + W, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    svg += `<path class="shuffle-edge" d="M${x1},${y1} C${x1 + GAP / 2},${y1} ${x2 - GAP / 2},${y2} ${x2},${y2}" stroke="#555" fill="none" marker-end="url(#arrow)"/>`;
  }));
  stages.forEach(s => {
    const p = pos.get(s.stageId);
    const fill = COLORS[s.status] || '#fff';
    svg += `<a href="#/stage/${s.stageId}"><g class="stage-box" data-stage="${s.stageId}" data-status="${s.status}">`;
    svg += `<rect x="${p.x}" y="${p.y}" width="${W}" height="${p.h}" rx="6" fill="${fill}" stroke="#607d8b"${s.status === 'SKIPPED' ? ' stroke-dasharray="4"' : ''}/>`;
    svg += `<text x="${p.x + 8}" y="${p.y + 16}" font-weight="bold">Stage ${s.stageId} · ${esc(s.status)}</text>`;
    svg += `<text x="${p.x + 8}" y="${p.y + 30}">${s.numCompleteTasks}/${s.numTasks} tasks${s.numFailedTasks ? ', ' + s.numFailedTasks + ' failed' : ''}</text>`;
    p.ops.forEach((op, i) => {
      const t = op.length > 38 ? op.slice(0, 37) + '…' : op;
      svg += `<text x="${p.x + 8}" y="${p.y + 46 + i * LINE}"><title>${esc(op)}</title>${esc(t)}</text>`;
    });
    svg += '</g></a>';
  });
  return svg + '</svg>';
}

function stageRows(stages) {
  return table('stages-table', ['Stage', 'Description', 'Status', 'Submitted', 'Duration', 'Tasks', 'Diagnosis'],
    stages.map(s => row([td(`<a href="#/stage/${s.stageId}">${s.stageId}</a>`), td(esc(s.name)), td(s.status, s.status),
      td(time(s.submissionTime)), num(s.submissionTime > 0 ? ms((s.completionTime > 0 ? s.completionTime : Date.now()) - s.submissionTime) : ''),
      td(bar(s.numCompleteTasks, s.numTasks)), td(esc((s.findings || []).join('; ')))])));
}

async function jobView(id) {
  const j = await get('/' + appId + '/jobs/' + id);
  return `<h2>Job ${j.jobId} <span class="${j.status}">${j.status}</span></h2><p>${esc(j.name)} · ${ms(j.duration)}` +
    (j.failure ? `<br><span class="FAILED">${esc(j.failure)}</span>` : '') + '</p>' +
    `<div id="dag">${dagSvg(j.stages)}</div>` + stageRows(j.stages);
}

async function stagesView() {
  return '<h2>Stages</h2>' + stageRows(await get('/' + appId + '/stages'));
}

function timelineSvg(tasks) {
  const done = tasks.filter(t => t.launchTime > 0);
  if (!done.length) return '';
  const t0 = Math.min(...done.map(t => t.launchTime));
  const t1 = Math.max(...done.map(t => t.launchTime + t.duration), t0 + 1);
  const W = 900, H = 8;
  const execs = [...new Set(done.map(t => t.executorId))];
  let svg = `<svg id="timeline" width="${W + 120}" height="${execs.length * (H * 3) + 20}">`;
  execs.forEach((e, i) => { svg += `<text x="0" y="${i * H * 3 + 14}">${esc(e)}</text>`; });
  done.forEach(t => {
    const x = 110 + W * (t.launchTime - t0) / (t1 - t0), w = Math.max(1, W * t.duration / (t1 - t0));
    const y = execs.indexOf(t.executorId) * H * 3 + 6;
    const c = t.status === 'SUCCESS' ? '#66bb6a' : t.status === 'RUNNING' ? '#42a5f5' : '#ef5350';
    svg += `<rect x="${x}" y="${y}" width="${w}" height="${H}" fill="${c}"><title>task ${t.taskId} (partition ${t.index}): ${ms(t.duration)}</title></rect>`;
  });
  return svg + '</svg>';
}

async function stageView(id, offset) {
  const [s, page] = await Promise.all([get('/' + appId + '/stages/' + id),
    get(`/${appId}/stages/${id}/tasks?offset=${offset}&length=${PAGE}`)]);
  const q = s.summary;
  const metrics = [['Duration', 'duration', ms], ['GC time', 'gcTime', ms], ['Input', 'inputBytes', bytes],
    ['Shuffle read', 'shuffleReadBytes', bytes], ['Shuffle write', 'shuffleWriteBytes', bytes],
    ['Fetch wait', 'fetchWait', ms], ['Spill', 'spillBytes', bytes], ['Output', 'outputBytes', bytes]];
  let html = `<h2>Stage ${s.stageId} (attempt ${s.attemptId}) <span class="${s.status}">${s.status}</span></h2>`;
  html += `<p>${esc(s.name)} · tasks: ${s.numCompleteTasks}/${s.numTasks} done, ${s.numActiveTasks} running, ${s.numFailedTasks} failed` +
    (s.failure ? `<br><span class="FAILED">${esc(s.failure)}</span>` : '') + '</p>';
  if (s.findings && s.findings.length) {
    html += `<div class="findings" id="findings"><b>Why this stage was slow</b><ul>${s.findings.map(f => `<li>${esc(f)}</li>`).join('')}</ul></div>`;
  }
  html += `<div class="ops">${s.operations.map(esc).join('<br>→ ')}</div>`;
  html += `<h2>Summary of ${q.tasks} succeeded tasks</h2>` + table('summary-table', ['Metric', 'Min', '25th', 'Median', '75th', 'Max'],
    metrics.map(([label, key, f]) => row([td(label)].concat((q[key].length ? q[key] : ['', '', '', '', '']).map(v => num(v === '' ? '' : f(v)))))));
  html += '<h2>Timeline (this page)</h2>' + timelineSvg(page.tasks);
  const last = Math.max(0, Math.floor((page.total - 1) / PAGE) * PAGE);
  const nav = (o, label) => `<button onclick="location.hash='#/stage/${id}?offset=${o}'">${label}</button>`;
  html += `<h2>Tasks ${page.total ? offset + 1 : 0}–${Math.min(page.total, offset + PAGE)} of <span id="task-total">${page.total}</span></h2>`;
  html += droppedNote(page.dropped, 'finished task attempts', 'weft.ui.retainedTasks');
  html += `<div class="pager">${nav(0, 'First')}${nav(Math.max(0, offset - PAGE), 'Previous')}${nav(Math.min(last, offset + PAGE), 'Next')}${nav(last, 'Last')}</div>`;
  html += table('task-table', ['Task', 'Index', 'Attempt', 'Executor', 'Host', 'Locality', 'Status', 'Launched', 'Duration', 'GC',
    'Input', 'Records in', 'Output', 'Shuffle read', 'Shuffle write', 'Fetch wait', 'Spill', 'Error'],
  page.tasks.map(t => row([num(t.taskId), num(t.index), num(t.attempt), td(esc(t.executorId)), td(esc(t.host)), td(esc(t.locality)),
    td(t.status, t.status), td(time(t.launchTime)), num(ms(t.duration)), num(ms(t.gcTime)), num(bytes(t.inputBytes)),
    num(t.inputRecords == null ? '' : t.inputRecords), num(bytes(t.outputBytes)), num(bytes(t.shuffleReadBytes)),
    num(bytes(t.shuffleWriteBytes)), num(ms(t.fetchWait)), num(bytes(t.spillBytes)), td(esc((t.failure || '').slice(0, 120)))])));
  return html;
}

async function executorsView() {
  const ex = await get('/' + appId + '/executors');
  return '<h2>Executors</h2>' + table('executors-table', ['Executor', 'Host', 'Cores', 'State', 'Active', 'Completed', 'Failed',
    'Task time', 'GC time', 'Input', 'Shuffle read', 'Shuffle write', 'Spill', 'Storage memory', 'Execution memory', 'Heap', 'Logs'],
  ex.map(e => row([td(esc(e.id)), td(esc(e.host)), num(e.cores), td(e.isActive ? 'active' : 'removed' + (e.removeReason ? ': ' + esc(e.removeReason) : '')),
    num(e.activeTasks), num(e.completedTasks), num(e.failedTasks), num(ms(e.totalDuration)), num(ms(e.totalGCTime)),
    num(bytes(e.totalInputBytes)), num(bytes(e.totalShuffleRead)), num(bytes(e.totalShuffleWrite)), num(bytes(e.totalSpillBytes)),
    num(used(e.storageMemoryUsed, e.memoryPool)), num(used(e.executionMemoryUsed, e.memoryPool)), num(used(e.heapUsed, e.maxHeap)),
    td(e.logs ? `<a href="${esc(e.logs)}">stdout/stderr</a>` : '')])));
}

// "used / total" of an executor's memory; blank until the executor reported it (-1)
function used(n, total) { return n < 0 ? '' : bytes(n) + ' / ' + bytes(total); }

async function storageView() {
  const st = await get('/' + appId + '/storage');
  return '<h2>Storage</h2>' + table('storage-table', ['Dataset (node)', 'Storage level', 'Partitions in memory',
    'Partitions on disk', 'Size in memory', 'Size on disk', 'Executors'],
  st.map(d => row([td(d.id), td(esc(d.storageLevel)), num(d.partitionsInMemory), num(d.partitionsOnDisk),
    num(bytes(d.memoryUsed)), num(bytes(d.diskUsed)), td(esc(d.executors.join(', ')))])));
}

async function environmentView() {
  const env = await get('/' + appId + '/environment');
  const kv = (id, m) => table(id, ['Name', 'Value'], Object.keys(m).map(k => row([td(esc(k)), td(esc(m[k]))])));
  return '<h2>Runtime</h2>' + kv('runtime-table', env.runtime) + '<h2>Configuration</h2>' + kv('config-table', env.config);
}

async function render() {
  const hash = location.hash || '#/jobs';
  const [path, qs] = hash.slice(1).split('?');
  const parts = path.split('/').filter(p => p);
  const params = new URLSearchParams(qs || '');
  try {
    if (!appId) {
      const apps = await get('');
      appId = apps[0].id;
    }
    const app = await get('/' + appId);
    document.getElementById('app-name').textContent = app.name + ' (' + app.id + ')';
    document.getElementById('app-status').textContent = app.status + ' · ' + app.user + ' · ' + ms(app.duration);
    document.title = app.name + ' - Weft';
    let html;
    if (parts[0] === 'job') html = await jobView(parts[1]);
    else if (parts[0] === 'stages') html = await stagesView();
    else if (parts[0] === 'stage') html = await stageView(parts[1], parseInt(params.get('offset') || '0', 10));
    else if (parts[0] === 'executors') html = await executorsView();
    else if (parts[0] === 'storage') html = await storageView();
    else if (parts[0] === 'environment') html = await environmentView();
    else html = await jobsView();
    document.getElementById('content').innerHTML = html;
    document.body.dataset.rendered = hash;
  } catch (e) {
    document.getElementById('content').textContent = 'Cannot load: ' + e.message;
  }
}

function schedule() {
  clearTimeout(timer);
  render().finally(() => { timer = setTimeout(schedule, 2000); });
}
window.addEventListener('hashchange', schedule);
schedule();
