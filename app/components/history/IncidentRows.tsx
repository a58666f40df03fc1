"use client";

import { moduleHistoryPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { DatedText } from "../DatedText";
import { IncidentStatusBadge } from "./IncidentStatusBadge";
import type { IncidentStatus } from "@/lib/domain/regressions";

/**
 * One incident row as the table draws it, shaped on the server (IncidentTable): strings and
 * numbers only. A client component, so the RSC payload carries these few fields per incident
 * instead of every element of the row (issue 11: the regressions page's payload was larger than
 * its HTML, and rendering it was most of the page's server CPU). The HTML is the same.
 */
export interface IncidentRow {
  id: number;
  slug: string;
  name: string;
  status: IncidentStatus;
  lastGood: string;
  firstBad: string;
  /** the Linux version of the first bad kernel, when its string does not say it */
  firstBadUpstream: string | null;
  lineLabel: string;
  arch: string;
  /** [shown text, href] */
  signature: [string, string] | null;
  errorLine: string | null;
  versions: string;
  fixedIn: string | null;
  fixedInKernel: string | null;
  /** [version, date] */
  fixedOnSnapshot: [string, string] | null;
  openedAt: string;
  openedAtSource: string | null;
  openedSeen: boolean;
  /** the last column: "open 3 days", "2 months", or null for an unknown time to fix */
  time: string | null;
}

export function IncidentRows({ rows, showModule }: { rows: readonly IncidentRow[]; showModule: boolean }) {
  return rows.map((i) => (
    <tr key={i.id} className="border-t border-slate-100 align-top hover:bg-slate-50">
      <td className="px-3 py-2">
        <AppLink href={`/regressions/${i.id}`} className="text-emerald-800 underline">
          {i.id}
        </AppLink>
      </td>
      {showModule && (
        <td className="px-3 py-2">
          <AppLink href={moduleHistoryPage(i.slug)} className="font-medium text-emerald-800 hover:underline">
            {i.name}
          </AppLink>
        </td>
      )}
      <td className="px-3 py-2">
        <IncidentStatusBadge status={i.status} />
      </td>
      <td className="px-3 py-2 font-mono text-xs">
        <span className="text-slate-500">{i.lastGood}</span> → <span className="font-semibold">{i.firstBad}</span>
        {i.firstBadUpstream && <span className="font-sans text-slate-500"> · Linux {i.firstBadUpstream}</span>}
        <div className="font-sans text-[11px] text-slate-500">
          {i.lineLabel} · {i.arch}
        </div>
      </td>
      <td className="max-w-md px-3 py-2 text-xs">
        {i.signature && (
          <AppLink href={i.signature[1]} className="mr-1 rounded bg-slate-100 px-1 font-mono text-slate-800 hover:underline">
            {i.signature[0]}
          </AppLink>
        )}
        <span className="break-words font-mono text-slate-600">{i.errorLine ?? "no error line reported"}</span>
      </td>
      <td className="px-3 py-2 font-mono text-xs">{i.versions}</td>
      <td className="px-3 py-2 font-mono text-xs">
        {i.fixedIn ?? (i.fixedInKernel ? <span>kernel {i.fixedInKernel}</span> : <span className="font-sans text-slate-400">not yet</span>)}
        {i.fixedOnSnapshot && (
          <div className="font-sans text-[11px] text-slate-500">
            on {i.fixedOnSnapshot[0]} since {i.fixedOnSnapshot[1]}
          </div>
        )}
      </td>
      <td className="whitespace-nowrap px-3 py-2 text-xs">
        <DatedText at={i.openedAt} source={i.openedAtSource} seen={i.openedSeen} />
      </td>
      <td className="whitespace-nowrap px-3 py-2 text-right text-xs">
        {i.time ?? <span title="the break is dated by its kernel's release but the fix only by when it was seen, or both were seen in the same run">unknown</span>}
      </td>
    </tr>
  ));
}
