import type { Metadata } from "next";
import { DataSourceNote } from "@/app/components/DataSourceNote";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data sources" };

/** Where the results come from, with each source's module and kernel header packages (the note on other pages links here). */
export default async function SourcesPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Data sources</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Every result was sent by a source: a build runner, an import, or the demo. Each source below is described by the metadata of its
        newest run, with the packages it built from, so that a verdict can be traced to what was really built.
      </p>
      <DataSourceNote
        lists
        empty={
          <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
            No results have been stored yet, so there is no source to show. Results arrive through <code>POST /api/v1/results</code> or{" "}
            <code>npx modcompat build --server</code>.
          </p>
        }
      />
    </div>
  );
}
