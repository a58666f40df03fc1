"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";

/** How many fixed regressions took how long, bucketed. */
export function TimeToFixChart({ data }: { data: { label: string; count: number }[] }) {
  return (
    <div data-testid="time-to-fix-chart" className="overflow-x-auto">
      <BarChart width={640} height={220} data={data} margin={{ top: 10, right: 24, bottom: 10, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => [`${v} regression(s)`, "fixed within"]} />
        <Bar dataKey="count" fill="#0f766e" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
