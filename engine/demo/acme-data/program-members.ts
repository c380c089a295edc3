import type { Context } from './context';
import type { MarketoLead } from './marketo-leads';
import { makePicker, Rng, type Weights } from './random';
import type { Campaign } from './salesforce-model';
import { DAY, HOUR, MINUTE } from './time';

/** A lead's membership of a Marketo program (the program synced with the Salesforce campaign of the same name). */
export interface ProgramMember {
  program: Campaign;
  lead: MarketoLead;
  status: string;
  success: boolean;
  membershipAt: number;
  updatedAt: number;
  registrationCode: string | null;
  trackName: string | null;
  cadence: string | null;
  exhausted: boolean;
  acquiredBy: boolean;
}

/** Program statuses by channel, and the status that counts as success. */
function programChannel(program: Campaign, now: number): { statuses: Weights; success: string } {
  const future = program.start > now;
  if (program.type === 'Webinar') {
    const statuses: Weights = future
      ? { Invited: 50, Registered: 50 }
      : { Invited: 25, Registered: 25, Attended: 30, 'No Show': 20 };
    return { statuses, success: 'Attended' };
  }
  if (program.type === 'Trade Show') {
    return {
      statuses: future ? { Invited: 1 } : { 'Visited Booth': 60, 'Had Conversation': 40 },
      success: 'Had Conversation',
    };
  }
  if (program.type === 'Email' && !program.nurture) {
    // Numbered like the statuses of Marketo's own email programs, so they sort in funnel order.
    return { statuses: { '01 Sent': 50, '02 Opened': 30, '03 Clicked': 20 }, success: '03 Clicked' };
  }
  return { statuses: { Member: 70, Engaged: 30 }, success: 'Engaged' };
}

/** Unique (program, lead) pairs, nurture and email programs more often, sorted as Marketo exports them. */
export function generateProgramMembers(ctx: Context, leads: MarketoLead[], programs: Campaign[]): ProgramMember[] {
  const rng = Rng.for(ctx, 'program-members');
  const pickProgram = makePicker(rng, programs, (p) => (p.nurture ? 3 : p.type === 'Email' ? 2 : 1));
  const seen = new Map<Campaign, Set<MarketoLead>>(programs.map((p) => [p, new Set()]));
  const members: ProgramMember[] = [];
  const maxAttempts = ctx.counts.programMembers * 20;
  for (let attempt = 0; members.length < ctx.counts.programMembers && attempt < maxAttempts; attempt++) {
    const program = pickProgram();
    const lead = rng.pick(leads);
    const already = seen.get(program);
    if (!already || already.has(lead)) continue;
    already.add(lead);
    members.push(makeProgramMember(ctx, rng, program, lead));
  }
  return members.sort((a, b) => a.program.programId - b.program.programId || a.membershipAt - b.membershipAt);
}

function makeProgramMember(ctx: Context, rng: Rng, program: Campaign, lead: MarketoLead): ProgramMember {
  const to = Math.min(program.end + DAY, ctx.now - HOUR);
  const membershipAt = rng.time(Math.min(Math.max(lead.createdAt, program.start - 21 * DAY), to), to);
  const channel = programChannel(program, ctx.now);
  const status = rng.choose(channel.statuses);
  const registered = program.type === 'Webinar' && status !== 'Invited';
  return {
    program,
    lead,
    status,
    success: status === channel.success,
    membershipAt,
    updatedAt: rng.time(membershipAt, Math.min(membershipAt + 10 * DAY, ctx.now - MINUTE)),
    registrationCode: registered ? rng.int(0x10000000, 0x7fffffff).toString(16) : null,
    trackName: program.nurture ? rng.pick(['Track 1 - Education', 'Track 2 - Evaluation']) : null,
    cadence: program.nurture ? rng.choose({ normal: 85, paused: 15 }) : null,
    exhausted: program.nurture && rng.chance(0.2),
    acquiredBy: Math.abs(lead.createdAt - membershipAt) < DAY,
  };
}
