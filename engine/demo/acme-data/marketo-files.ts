import type { Activity } from './activity-log';
import { marketoCsv, type OutputFile, type Row } from './csv';
import type { Marketo } from './generate-marketo';
import { words } from './lists';
import type { MarketoLead } from './marketo-leads';
import { asciiSlug } from './people';
import type { ProgramMember } from './program-members';
import { mktoDateTime } from './time';
import { SITE } from './website';

/** Column headers of the extracts (Marketo field API names). */
const MARKETO_COLUMNS = {
  leads: words(
    'id,email,firstName,lastName,company,title,phone,city,country,leadSource,leadStatus,createdAt,updatedAt,sfdcLeadId,sfdcContactId,sfdcAccountId,ecid,leadScore,unsubscribed',
  ),
  activities: words(
    'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes',
  ),
  // The program member extract's standard fields, in the order Marketo writes them.
  programMembers: words(
    'isExhausted,webinarUrl,program,reachedSuccessDate,trackName,acquiredBy,membershipDate,createdAt,statusReason,registrationLikelihood,nurtureCadence,statusName,registrationCode,attendanceLikelihood,waitlistPriority,programId,reachedSuccess,leadId,updatedAt',
  ),
};

/** The three Marketo extracts; leads in id order as the bulk extract writes them. */
export function marketoFiles(marketo: Marketo): OutputFile[] {
  const leads = marketo.leads.slice().sort((a, b) => a.id - b.id);
  return [
    marketoCsv('marketo/leads.csv', MARKETO_COLUMNS.leads, leads.map(marketoLeadRow)),
    marketoCsv('marketo/activities.csv', MARKETO_COLUMNS.activities, marketo.activities.map(activityRow)),
    marketoCsv('marketo/program_members.csv', MARKETO_COLUMNS.programMembers, marketo.members.map(programMemberRow)),
  ];
}

function marketoLeadRow(l: MarketoLead): Row {
  return {
    id: l.id,
    email: l.email,
    firstName: l.firstName,
    lastName: l.lastName,
    company: l.company,
    title: l.title,
    phone: l.phone,
    city: l.city,
    country: l.country,
    leadSource: l.leadSource,
    leadStatus: l.leadStatus,
    createdAt: mktoDateTime(l.createdAt),
    updatedAt: mktoDateTime(Math.max(l.createdAt, l.updatedAt)),
    sfdcLeadId: l.sfLead?.id ?? null,
    sfdcContactId: l.contact?.id ?? null,
    sfdcAccountId: l.contact?.account.id ?? null,
    ecid: l.ecid,
    leadScore: l.score,
    unsubscribed: l.unsubscribed,
  };
}

/** GUIDs follow activity time, as Marketo's are allocated when the activity is logged. */
function activityRow(a: Activity, index: number): Row {
  return {
    marketoGUID: String(7_340_001 + index),
    leadId: a.lead.id,
    activityDate: mktoDateTime(a.at),
    activityTypeId: a.typeId,
    campaignId: a.campaignId,
    primaryAttributeValueId: a.primaryId,
    primaryAttributeValue: a.primaryValue,
    attributes: JSON.stringify(a.attributes),
  };
}

/** Flags are written 0/1 as in Marketo's program member extract. */
function programMemberRow(m: ProgramMember): Row {
  const webinarUrl = m.registrationCode
    ? `https://${SITE}/webinars/${asciiSlug(m.program.name)}?reg=${m.registrationCode}`
    : null;
  return {
    isExhausted: m.exhausted ? 1 : 0,
    webinarUrl,
    program: m.program.name,
    reachedSuccessDate: m.success ? mktoDateTime(m.updatedAt) : null,
    trackName: m.trackName,
    acquiredBy: m.acquiredBy ? 1 : 0,
    membershipDate: mktoDateTime(m.membershipAt),
    createdAt: mktoDateTime(m.membershipAt),
    statusReason: null,
    registrationLikelihood: null,
    nurtureCadence: m.cadence,
    statusName: m.status,
    registrationCode: m.registrationCode,
    attendanceLikelihood: null,
    waitlistPriority: null,
    programId: m.program.programId,
    reachedSuccess: m.success ? 1 : 0,
    leadId: m.lead.id,
    updatedAt: mktoDateTime(m.updatedAt),
  };
}
