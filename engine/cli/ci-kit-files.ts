import type { StarterFile } from './starter-project-files';

/** The CI platforms `roster init --ci` writes a pipeline for. */
export type CiPlatform = 'github' | 'gitlab';

/**
 * Pure: the pipeline `roster init --ci` writes. On a pull (merge) request: validate, audience tests
 * (JUnit for the platform's annotations), and the markdown plan with its data impact, posted as one
 * comment that each push updates, using a read-only database role; the saved plan is kept as an
 * artifact. On merge: that saved plan applied to the first sandbox (refused if stale). Then
 * promotion to the next sandbox behind the platform's manual approval. Secrets come from the
 * platform's secret store.
 */
export function ciKitFiles(platform: CiPlatform): StarterFile[] {
  return platform === 'github'
    ? [{ path: '.github/workflows/roster.yml', text: GITHUB_WORKFLOW }]
    : [
        { path: '.gitlab-ci.yml', text: GITLAB_PIPELINE },
        { path: '.gitlab/roster-merge-request.mjs', text: GITLAB_MERGE_REQUEST_SCRIPT },
      ];
}

const GITHUB_WORKFLOW = `# Written by \`roster init --ci github\`. Secrets (Settings > Secrets and variables > Actions):
#   ROSTER_PLAN_DATABASE_URL  a role with SELECT on roster_dev only (plans never write)
#   ROSTER_DATABASE_URL       the writing role; set it on the environments dev and prod
#   and every secret("NAME") your resources use, on those environments.
# Give the environment "prod" required reviewers: promotion waits for their approval.
name: roster

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read
  pull-requests: write
  actions: read

concurrency:
  group: roster-\${{ github.ref }}
  cancel-in-progress: false

jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      - run: npx roster validate
      # Audience tests run in a throwaway sandbox of the embedded PostgreSQL (no DATABASE_URL).
      - run: npx roster test --format junit --output roster-tests.xml
      - name: Plan dev with its data impact (read-only role)
        env:
          DATABASE_URL: \${{ secrets.ROSTER_PLAN_DATABASE_URL }}
        run: npx roster plan --sandbox dev --format markdown --out plan.json > plan.md
      - uses: actions/upload-artifact@v4
        with:
          name: roster-plan
          path: plan.json
      - name: Post the plan (one comment, updated on each push)
        uses: actions/github-script@v7
        with:
          script: |
            const fs = require('node:fs');
            const marker = '<!-- roster-plan -->';
            const body = \`\${marker}\\n\${fs.readFileSync('plan.md', 'utf8')}\`;
            const issue = { ...context.repo, issue_number: context.issue.number };
            const comments = await github.paginate(github.rest.issues.listComments, issue);
            const mine = comments.find((c) => c.body?.startsWith(marker));
            if (mine) await github.rest.issues.updateComment({ ...context.repo, comment_id: mine.id, body });
            else await github.rest.issues.createComment({ ...issue, body });

  apply:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    environment: dev
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      - name: Find the merged pull request
        id: pr
        uses: actions/github-script@v7
        with:
          script: |
            const { data } = await github.rest.repos.listPullRequestsAssociatedWithCommit({ ...context.repo, commit_sha: context.sha });
            const merged = data.find((pr) => pr.merged_at);
            if (!merged) core.setFailed('no merged pull request for this commit: nothing reviewed to apply');
            else core.setOutput('number', merged.number);
      - name: Download the reviewed plan
        uses: dawidd6/action-download-artifact@v6
        with:
          workflow: roster.yml
          pr: \${{ steps.pr.outputs.number }}
          name: roster-plan
      # Applies exactly the reviewed plan; refused (exit 1) if dev or the files moved since.
      - name: Apply the saved plan to dev
        env:
          DATABASE_URL: \${{ secrets.ROSTER_DATABASE_URL }}
        run: npx roster apply plan.json

  promote:
    needs: apply
    runs-on: ubuntu-latest
    environment: prod
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      # Refused unless every change was applied and evaluated in dev first.
      - name: Promote dev to prod
        env:
          DATABASE_URL: \${{ secrets.ROSTER_DATABASE_URL }}
        run: npx roster promote --from dev --to prod --apply
`;

const GITLAB_PIPELINE = `# Written by \`roster init --ci gitlab\`. CI/CD variables (Settings > CI/CD > Variables, masked):
#   ROSTER_PLAN_DATABASE_URL  a role with SELECT on roster_dev only (plans never write)
#   ROSTER_DATABASE_URL       the writing role (scope it to the environments dev and prod)
#   ROSTER_GITLAB_TOKEN       a project access token with api scope (posts the plan comment, reads artifacts)
#   and every secret("NAME") your resources use.
# Promotion to prod is a manual job: protect the environment "prod" to choose who may run it.
stages: [check, plan, apply, promote]

default:
  image: node:20
  before_script:
    - npm ci
  cache:
    key: { files: [package-lock.json] }
    paths: [.npm/]

variables:
  npm_config_cache: "$CI_PROJECT_DIR/.npm"

roster-check:
  stage: check
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - npx roster validate
    # Audience tests run in a throwaway sandbox of the embedded PostgreSQL (no DATABASE_URL).
    - npx roster test --format junit --output roster-tests.xml
  artifacts:
    when: always
    reports:
      junit: roster-tests.xml

roster-plan:
  stage: plan
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    DATABASE_URL: $ROSTER_PLAN_DATABASE_URL
  script:
    - npx roster plan --sandbox dev --format markdown --out plan.json > plan.md
    - node .gitlab/roster-merge-request.mjs comment plan.md
  artifacts:
    paths: [plan.json, plan.md]
    expire_in: 30 days

roster-apply:
  stage: apply
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  environment: dev
  variables:
    DATABASE_URL: $ROSTER_DATABASE_URL
  script:
    # The plan reviewed in the merge request; refused (exit 1) if dev or the files moved since.
    - node .gitlab/roster-merge-request.mjs fetch-plan plan.json
    - npx roster apply plan.json

roster-promote:
  stage: promote
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
  environment: prod
  variables:
    DATABASE_URL: $ROSTER_DATABASE_URL
  script:
    # Refused unless every change was applied and evaluated in dev first.
    - npx roster promote --from dev --to prod --apply
`;

const GITLAB_MERGE_REQUEST_SCRIPT = `// Written by \`roster init --ci gitlab\`; used by .gitlab-ci.yml (Node 20, no dependencies).
//   node .gitlab/roster-merge-request.mjs comment plan.md      one merge request note, updated on each push
//   node .gitlab/roster-merge-request.mjs fetch-plan plan.json the saved plan of the merge request just merged
import { readFileSync, writeFileSync } from 'node:fs';

const api = \`\${process.env.CI_API_V4_URL}/projects/\${process.env.CI_PROJECT_ID}\`;
const headers = { 'PRIVATE-TOKEN': process.env.ROSTER_GITLAB_TOKEN ?? '', 'content-type': 'application/json' };
const MARKER = '<!-- roster-plan -->';

async function call(path, init = {}) {
  const answer = await fetch(\`\${api}\${path}\`, { ...init, headers });
  if (!answer.ok) throw new Error(\`GitLab answered \${answer.status} to \${path}: \${await answer.text()}\`);
  return answer;
}

async function comment(file) {
  const iid = process.env.CI_MERGE_REQUEST_IID;
  const body = \`\${MARKER}\\n\${readFileSync(file, 'utf8')}\`;
  const notes = await (await call(\`/merge_requests/\${iid}/notes?per_page=100&sort=asc\`)).json();
  const mine = notes.find((note) => note.body.startsWith(MARKER));
  const method = mine ? 'PUT' : 'POST';
  const path = mine ? \`/merge_requests/\${iid}/notes/\${mine.id}\` : \`/merge_requests/\${iid}/notes\`;
  await call(path, { method, body: JSON.stringify({ body }) });
}

async function fetchPlan(file) {
  const requests = await (await call(\`/repository/commits/\${process.env.CI_COMMIT_SHA}/merge_requests\`)).json();
  const merged = requests.find((mr) => mr.state === 'merged');
  if (!merged) throw new Error('no merged merge request for this commit: nothing reviewed to apply');
  const ref = encodeURIComponent(\`refs/merge-requests/\${merged.iid}/head\`);
  const plan = await call(\`/jobs/artifacts/\${ref}/raw/plan.json?job=roster-plan\`);
  writeFileSync(file, Buffer.from(await plan.arrayBuffer()));
}

const [command, file] = process.argv.slice(2);
if (command === 'comment') await comment(file);
else if (command === 'fetch-plan') await fetchPlan(file);
else throw new Error(\`unknown command \${command}; use comment FILE or fetch-plan FILE\`);
`;
