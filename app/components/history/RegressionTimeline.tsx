"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { fmtDate, fmtDays } from "./format";

export interface TimelineDatum {
  id: number;
  label: string;
  start: number;
  end: number;
  status: "open" | "fixed";
  kernel: string;
  lastGood: string;
  error: string | null;
  fix: string | null;
  days: number | null;
}

const COLOUR = { open: "#dc2626", fixed: "#059669" } as const;
const SYMBOL = { open: "✗", fixed: "✓" } as const;

function TimelineTooltip({ active, payload }: { active?: boolean; payload?: { payload: TimelineDatum }[] }) {
  const d = active ? payload?.[0]?.payload : undefined;
  if (!d) return null;
  return (
    <div className="max-w-sm rounded border border-slate-300 bg-white p-2 text-xs shadow">
      <div className="font-semibold">
        {SYMBOL[d.status]} {d.status} · #{d.id}
      </div>
      <div>
        broke on <span className="font-mono">{d.kernel}</span> (last good <span className="font-mono">{d.lastGood}</span>)
      </div>
      <div className="break-words font-mono text-slate-700">{d.error ?? "no error line reported"}</div>
      <div>
        {fmtDate(d.start)} → {d.status === "open" ? "today (still open)" : fmtDate(d.end)}; {d.status === "open" ? `open ${fmtDays(d.days)}` : `fixed ${d.fix ? `in ${d.fix}` : ""}, took ${fmtDays(d.days)}`}
      </div>
    </div>
  );
}

/**
 * One horizontal bar per incident, from when it opened to when it was fixed (open ones run to
 * today). Zero-length bars (failure and fix seen in one run) keep a minimal visible width.
 */
export function RegressionTimeline({ data, now }: { data: TimelineDatum[]; now: number }) {
  const router = useRouter();
  const rows = data.map((d) => ({ ...d, range: [d.start, Math.max(d.end, d.start)] as [number, number], axisLabel: `${SYMBOL[d.status]} ${d.label}` }));
  const min = Math.min(...rows.map((r) => r.start));
  // Only open incidents need the axis to reach today.
  const max = Math.max(...rows.map((r) => (r.status === "open" ? now : r.range[1])));
  const pad = Math.max((max - min) * 0.02, 86_400_000);
  const height = 60 + rows.length * 30;
  // Within a few days, dates alone repeat on every tick: show hours too.
  const short = max - min + 2 * pad < 4 * 86_400_000;
  return (
    <div data-testid="regression-timeline" className="overflow-x-auto">
      <BarChart width={960} height={height} data={rows} layout="vertical" margin={{ top: 10, right: 24, bottom: 10, left: 10 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" dataKey="start" domain={[min - pad, max + pad]} scale="time" tickFormatter={(t: number) => (short ? new Date(t).toISOString().slice(5, 16).replace("T", " ") : fmtDate(t))} tick={{ fontSize: 11 }} />
        <YAxis type="category" dataKey="axisLabel" width={260} tick={{ fontSize: 11 }} interval={0} />
        <Tooltip content={<TimelineTooltip />} cursor={{ fill: "rgba(148, 163, 184, 0.15)" }} />
        <Bar
          dataKey="range"
          isAnimationActive={false}
          minPointSize={4}
          barSize={16}
          onClick={(entry: { payload?: TimelineDatum }) => {
            if (entry?.payload) router.push(`/regressions/${entry.payload.id}`);
          }}
          cursor="pointer"
        >
          {rows.map((r) => (
            <Cell key={r.id} fill={COLOUR[r.status]} data-status={r.status} />
          ))}
        </Bar>
      </BarChart>
    </div>
  );
}
