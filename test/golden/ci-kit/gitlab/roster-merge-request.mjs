// Written by `roster init --ci gitlab`; used by .gitlab-ci.yml (Node 20, no dependencies).
//   node .gitlab/roster-merge-request.mjs comment plan.md      one merge request note, updated on each push
//   node .gitlab/roster-merge-request.mjs fetch-plan plan.json the saved plan of the merge request just merged
import { readFileSync, writeFileSync } from 'node:fs';

const api = `${process.env.CI_API_V4_URL}/projects/${process.env.CI_PROJECT_ID}`;
const headers = { 'PRIVATE-TOKEN': process.env.ROSTER_GITLAB_TOKEN ?? '', 'content-type': 'application/json' };
const MARKER = '<!-- roster-plan -->';

async function call(path, init = {}) {
  const answer = await fetch(`${api}${path}`, { ...init, headers });
  if (!answer.ok) throw new Error(`GitLab answered ${answer.status} to ${path}: ${await answer.text()}`);
  return answer;
}

async function comment(file) {
  const iid = process.env.CI_MERGE_REQUEST_IID;
  const body = `${MARKER}\n${readFileSync(file, 'utf8')}`;
  const notes = await (await call(`/merge_requests/${iid}/notes?per_page=100&sort=asc`)).json();
  const mine = notes.find((note) => note.body.startsWith(MARKER));
  const method = mine ? 'PUT' : 'POST';
  const path = mine ? `/merge_requests/${iid}/notes/${mine.id}` : `/merge_requests/${iid}/notes`;
  await call(path, { method, body: JSON.stringify({ body }) });
}

async function fetchPlan(file) {
  const requests = await (await call(`/repository/commits/${process.env.CI_COMMIT_SHA}/merge_requests`)).json();
  const merged = requests.find((mr) => mr.state === 'merged');
  if (!merged) throw new Error('no merged merge request for this commit: nothing reviewed to apply');
  const ref = encodeURIComponent(`refs/merge-requests/${merged.iid}/head`);
  const plan = await call(`/jobs/artifacts/${ref}/raw/plan.json?job=roster-plan`);
  writeFileSync(file, Buffer.from(await plan.arrayBuffer()));
}

const [command, file] = process.argv.slice(2);
if (command === 'comment') await comment(file);
else if (command === 'fetch-plan') await fetchPlan(file);
else throw new Error(`unknown command ${command}; use comment FILE or fetch-plan FILE`);
