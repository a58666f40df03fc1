"use client";

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

export interface PassRateDatum {
  start: string;
  pass: number;
  fail: number;
  rate: number | null;
}

/** Share of passing results (pass / (pass + fail)) per day or week. */
export function PassRateChart({ data, bucket }: { data: PassRateDatum[]; bucket: "day" | "week" }) {
  // A time axis, not categories: buckets years apart must not sit as close as adjacent weeks.
  const rows = data.map((d) => ({ ...d, t: Date.parse(d.start), percent: d.rate === null ? null : Math.round(d.rate * 1000) / 10 }));
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return (
    <div data-testid="pass-rate-chart" className="overflow-x-auto">
      <LineChart width={960} height={240} data={rows} margin={{ top: 10, right: 24, bottom: 10, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="t" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={day} tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
        <Tooltip
          labelFormatter={(t) => `${bucket} of ${day(Number(t))}`}
          formatter={(value, _name, item) => {
            const p = (item as { payload?: PassRateDatum }).payload;
            return [`${value}% (${p?.pass ?? 0} pass, ${p?.fail ?? 0} fail)`, `pass rate per ${bucket}`];
          }}
        />
        <Line type="linear" dataKey="percent" stroke="#059669" strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
