"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

export interface SupportLagDatum {
  series: string;
  passing: number | null;
  declaring: number | null;
}

/** Days from a kernel series' release to the first module release that passes / declares it. */
export function SupportLagChart({ data }: { data: SupportLagDatum[] }) {
  return (
    <div data-testid="support-lag-chart" className="overflow-x-auto">
      <BarChart width={Math.max(480, 70 * data.length + 120)} height={240} data={data} margin={{ top: 10, right: 24, bottom: 10, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="series" tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} unit=" d" tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v, name) => [v == null ? "unknown" : `${v} days`, name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="passing" name="first release that passes" fill="#059669" isAnimationActive={false} minPointSize={2} />
        <Bar dataKey="declaring" name="first release that declares support" fill="#6366f1" isAnimationActive={false} minPointSize={2} />
      </BarChart>
    </div>
  );
}
