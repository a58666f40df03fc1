import type { Metadata } from "next";
import { AppLink } from "@/app/components/AppLink";
import { formatRate, type Rate } from "@/lib/domain/prediction-evaluation";
import { SIGNATURE_KIND_LABEL } from "@/lib/domain/signature";
import { getPredictionRecord } from "@/lib/services/predictions/evaluate-predictions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Prediction record" };

function Figure({ label, r, testId }: { label: string; r: Rate; testId: string }) {
  return (
    <div className="rounded border p-3">
      <div className="text-sm text-slate-600">{label}</div>
      <div className="text-2xl font-semibold" data-testid={testId}>
        {r.rate === null ? "n/a" : `${(r.rate * 100).toFixed(1)} %`}
      </div>
      <div className="text-xs text-slate-500">
        {r.hits} of {r.of}
      </div>
    </div>
  );
}

const kindLabel = (k: string) => (k in SIGNATURE_KIND_LABEL ? SIGNATURE_KIND_LABEL[k as keyof typeof SIGNATURE_KIND_LABEL] : "no kernel symbol in the error line");

export default async function PredictionsPage() {
  const e = await getPredictionRecord();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Prediction record</h1>
      <p className="text-sm text-slate-700">
        Predicted verdicts (shown hatched in the matrix and as &ldquo;likely broken (predicted: …)&rdquo; in the check) are judged from a module
        version&apos;s footprint, what one of its real builds imported, named, called (with how many arguments) and included, against the target
        kernel&apos;s exported symbols, header macros, function prototypes and headers (<AppLink href="/kernels/compare" className="underline">compare kernels</AppLink>),
        and against the other kernels it built on. Here every real pass or fail of a module version with a footprint is predicted from footprints
        recorded on <em>other</em> kernels only, and scored. The same figures print with <code>npm run evaluate</code>.
      </p>
      <p className="text-sm">
        {e.footprints} footprint{e.footprints === 1 ? "" : "s"} of {e.moduleVersions} module version{e.moduleVersions === 1 ? "" : "s"}; API snapshots of {e.snapshots}{" "}
        kernels; {e.cases} real results judged, {e.predicted} predicted, {e.unknown} unknown
        {e.kernelsWithoutSnapshot.length > 0 && <> (no snapshot of {e.kernelsWithoutSnapshot.join(", ")})</>}.
      </p>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Figure label="Precision of predicted-fail" r={e.failPrecision} testId="fail-precision" />
        <Figure label="Recall of predicted-fail (unknown counts as missed)" r={e.failRecall} testId="fail-recall" />
        <Figure label="Accuracy of predicted-pass" r={e.passAccuracy} testId="pass-accuracy" />
      </div>
      <table className="text-sm">
        <caption className="text-left font-semibold">By strength of evidence</caption>
        <thead>
          <tr className="text-left text-slate-500">
            <th scope="col" className="pr-4">Evidence</th>
            <th scope="col" className="pr-4">Fail precision</th>
            <th scope="col">Pass accuracy</th>
          </tr>
        </thead>
        <tbody>
          {(["strong", "weak"] as const).map((s) => (
            <tr key={s} className="border-t">
              <td className="pr-4">{s}</td>
              <td className="pr-4">{formatRate(e.byStrength[s].failPrecision)}</td>
              <td>{formatRate(e.byStrength[s].passAccuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="text-sm">
        <caption className="text-left font-semibold">Recall per kind of real failure</caption>
        <tbody>
          {e.byFailureKind.map((k) => (
            <tr key={k.kind} className="border-t">
              <td className="pr-4">{kindLabel(k.kind)}</td>
              <td>{formatRate(k.recall)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section>
        <h2 className="text-lg font-semibold">Real failures the predictor did not see ({e.missed.length})</h2>
        <p className="text-sm text-slate-600">
          What a footprint of symbols, names, call arities and headers cannot see: callback types in ops structs, a parameter whose type changed
          while the number of arguments stayed, upper-case constants, struct members, version checks in the module that do not hold, and failures
          that are not the kernel&apos;s API (the build environment, the module&apos;s own files). A kernel with no API snapshot gives no prediction
          at all.
        </p>
        <ul className="mt-2 space-y-1 text-sm">
          {e.missed.map((m) => (
            <li key={`${m.module}@${m.version}@${m.kernel}`}>
              {m.module} {m.version} on <span className="font-mono">{m.kernel}</span> ({kindLabel(m.kind)}, predicted {m.predicted}):{" "}
              <span className="font-mono text-xs">{m.errorLine ?? "—"}</span>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2 className="text-lg font-semibold">Predicted to fail, but built ({e.falseAlarms.length})</h2>
        <ul className="mt-2 space-y-1 text-sm">
          {e.falseAlarms.map((f) => (
            <li key={`${f.module}@${f.version}@${f.kernel}`}>
              {f.module} {f.version} on <span className="font-mono">{f.kernel}</span>: {f.summary}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
