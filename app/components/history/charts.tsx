"use client";

import dynamic from "next/dynamic";

/**
 * The history charts, loaded on demand: recharts is about 470 KB of JavaScript, and a module with
 * too little history shows no chart at all, so its page must not load it. recharts draws on the
 * client only, so nothing is lost by not rendering these on the server; the placeholders keep the
 * charts' heights so the page does not jump.
 */
const placeholder = (height: number) =>
  function ChartPlaceholder() {
    return <div style={{ height }} className="animate-pulse rounded bg-slate-100" aria-hidden />;
  };

export const PassRateChart = dynamic(() => import("./PassRateChart").then((m) => m.PassRateChart), { ssr: false, loading: placeholder(240) });
export const RegressionTimeline = dynamic(() => import("./RegressionTimeline").then((m) => m.RegressionTimeline), { ssr: false, loading: placeholder(120) });
export const SupportLagChart = dynamic(() => import("./SupportLagChart").then((m) => m.SupportLagChart), { ssr: false, loading: placeholder(240) });
export const TimeToFixChart = dynamic(() => import("./TimeToFixChart").then((m) => m.TimeToFixChart), { ssr: false, loading: placeholder(220) });
