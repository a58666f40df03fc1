import type { Metadata } from "next";
import { modulePage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { compareKernels, kernelLine, seriesOf } from "@/lib/domain/kernel-version";
import { suggestedComparisons } from "@/lib/domain/kernel-api";
import { compareQuerySchema, type CompareResponse } from "@/lib/schemas/kernel-api";
import { compareKernelApis } from "@/lib/services/kernel-api/compare-kernel-apis";
import { listKernelApis } from "@/lib/services/kernel-api/load-kernel-api";
import { AppError, issuesFromZod } from "@/lib/services/errors";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compare kernel APIs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
type User = CompareResponse["removedSymbols"][number]["usedBy"][number];

const VIA_TEXT: Record<User["via"], string> = {
  imports: "imports it",
  calls: "called in its source",
  emitted: "emitted by the old kernel's headers, not named by the module",
  includes: "included",
};

function Users({ users }: { users: User[] }) {
  if (users.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="flex flex-wrap gap-x-2">
      {users.map((u) => (
        <li key={`${u.module}@${u.version}`}>
          <AppLink href={modulePage(u.module)} className="underline" title={`footprint of the build on ${u.kernel}`}>
            {u.module} {u.version}
          </AppLink>
          {u.via !== "imports" && <span className="text-xs text-slate-500"> ({VIA_TEXT[u.via]})</span>}
        </li>
      ))}
    </ul>
  );
}

function Picker({ kernels, from, to }: { kernels: string[]; from?: string; to?: string }) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
      {(["from", "to"] as const).map((name) => (
        <label key={name} className="flex flex-col">
          <span className="text-slate-600">{name === "from" ? "From kernel" : "To kernel"}</span>
          <input name={name} list="api-kernels" defaultValue={name === "from" ? from : to} className="rounded border px-2 py-1 font-mono" />
        </label>
      ))}
      <datalist id="api-kernels">
        {kernels.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <button type="submit" className="rounded bg-slate-800 px-3 py-1 text-white">
        Compare
      </button>
    </form>
  );
}

/**
 * One list of removed or changed items, each with the module versions that use it. With `columns`
 * (name and detail headings) the table has a header row and a detail column; without, it lists
 * bare names (header paths).
 */
function UsageTable({ id, title, columns, rows }: { id: string; title: string; columns?: [string, string]; rows: { name: string; detail?: string; usedBy: User[] }[] }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      <table className="w-full text-sm" data-testid={id}>
        {columns && (
          <thead>
            <tr className="text-left text-slate-500">
              <th scope="col">{columns[0]}</th>
              <th scope="col">{columns[1]}</th>
              <th scope="col">Used by</th>
            </tr>
          </thead>
        )}
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} className="border-t">
              <td className="font-mono">{row.name}</td>
              {columns && <td className="text-xs text-slate-600">{row.detail}</td>}
              <td>
                <Users users={row.usedBy} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const crcText = (s: { crc: string; gplOnly: boolean; namespace: string }) => `${s.crc || "no CRC"}${s.gplOnly ? ", GPL-only" : ""}${s.namespace ? `, namespace ${s.namespace}` : ""}`;

export default async function ComparePage({ searchParams }: Props) {
  const sp = await searchParams;
  const kernels = (await listKernelApis()).map((k) => k.kernel);
  const from = typeof sp.from === "string" ? sp.from : undefined;
  const to = typeof sp.to === "string" ? sp.to : undefined;
  const header = (
    <>
      <h1 className="text-2xl font-semibold">Compare kernel APIs</h1>
      <p className="text-sm text-slate-600">
        Exported symbols (Module.symvers: CRC, licence, namespace) and header paths that a kernel removed, changed or added, from the header packages
        ({kernels.length} kernel{kernels.length === 1 ? "" : "s"} imported). Beside each removed or changed item: the module versions whose footprint
        (a real build&apos;s imported symbols and included headers) uses it.
      </p>
      <Picker kernels={kernels} from={from} to={to} />
    </>
  );
  if (!from || !to) {
    const suggested = suggestedComparisons(kernels, { compare: compareKernels, series: seriesOf, line: kernelLine });
    return (
      <div className="space-y-4">
        {header}
        {suggested.length > 0 && (
          <section aria-labelledby="suggested">
            <h2 id="suggested" className="text-lg font-semibold">
              Series to series
            </h2>
            <ul className="list-disc pl-6 text-sm">
              {suggested.map((p) => (
                <li key={`${p.from}→${p.to}`}>
                  <AppLink className="underline" href={`/kernels/compare?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`}>
                    {p.from} → {p.to}
                  </AppLink>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    );
  }
  const parsed = compareQuerySchema.safeParse(Object.fromEntries(Object.entries(sp).filter(([, v]) => typeof v === "string")));
  let r: CompareResponse;
  try {
    if (!parsed.success) throw new AppError("validation_failed", issuesFromZod(parsed.error.issues).map((i) => `${i.path}: ${i.message}`).join("; "));
    r = await compareKernelApis(parsed.data);
  } catch (e) {
    if (e instanceof AppError && (e.code === "validation_failed" || e.code === "not_found")) {
      return (
        <div className="space-y-4">
          {header}
          <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
            {e.message}
          </div>
        </div>
      );
    }
    throw e;
  }
  const c = r.counts;
  return (
    <div className="space-y-6">
      {header}
      <p className="text-lg" data-testid="compare-headline">
        <span className="font-mono">{r.to.kernel}</span> removes {c.removedSymbols} exported symbol{c.removedSymbols === 1 ? "" : "s"} of{" "}
        <span className="font-mono">{r.from.kernel}</span>
        {r.affected.length > 0 ? `; ${r.affected.length} module version${r.affected.length === 1 ? "" : "s"} use removed or changed items` : ""}.
      </p>
      <dl className="flex flex-wrap gap-x-6 text-sm">
        {(
          [
            ["removed symbols", c.removedSymbols],
            ["added symbols", c.addedSymbols],
            ["CRC changed", c.crcChanged],
            ["licence changed", c.licenceChanged],
            ["namespace changed", c.namespaceChanged],
            ["removed headers", c.removedHeaders],
            ["added headers", c.addedHeaders],
          ] as const
        ).map(([l, n]) => (
          <div key={l}>
            <dt className="inline text-slate-500">{l}: </dt>
            <dd className="inline font-mono">{n}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-slate-500">
        Footprints of {r.footprints.moduleVersions} module version{r.footprints.moduleVersions === 1 ? "" : "s"}
        {r.footprints.truncated ? " (capped)" : ""}. Lists show the used items first, at most {r.limit} each
        {r.truncated ? " (some are cut: see the counts; the JSON API takes ?limit= up to 2000)" : ""}.{" "}
        <a className="underline" href={`/api/v1/kernels/compare?from=${encodeURIComponent(r.from.kernel)}&to=${encodeURIComponent(r.to.kernel)}`}>
          JSON
        </a>
      </p>
      {r.affected.length > 0 && (
        <section aria-labelledby="affected">
          <h2 id="affected" className="text-lg font-semibold">
            Module versions affected
          </h2>
          <ul className="list-disc pl-6 text-sm">
            {r.affected.map((a) => (
              <li key={`${a.module}@${a.version}`}>
                <AppLink href={modulePage(a.module)} className="underline">
                  {a.module} {a.version}
                </AppLink>
                : {[...a.removed.map((x) => `${x} removed`), ...a.changed.map((x) => `${x} changed`)].join(", ")}
              </li>
            ))}
          </ul>
        </section>
      )}
      <UsageTable
        id="removed-symbols"
        title={`Removed symbols (${c.removedSymbols})`}
        columns={["Symbol", "Was"]}
        rows={r.removedSymbols.map((s) => ({
          name: s.name,
          detail: `${crcText(s)}${s.exporter !== "vmlinux" ? ` (${s.exporter})` : ""}${s.stillCallable ? "; still a macro or inline in the new headers" : ""}`,
          usedBy: s.usedBy,
        }))}
      />
      <UsageTable
        id="changed-symbols"
        title={`Changed symbols (${c.changedSymbols})`}
        columns={["Symbol", "Change"]}
        rows={r.changedSymbols.map((s) => ({ name: s.name, detail: `${s.changes.join(", ")}: ${crcText(s.from)} → ${crcText(s.to)}`, usedBy: s.usedBy }))}
      />
      <UsageTable id="removed-headers" title={`Removed headers (${c.removedHeaders})`} rows={r.removedHeaders.map((h) => ({ name: h.path, usedBy: h.usedBy }))} />
      <details>
        <summary className="cursor-pointer text-lg font-semibold">
          Added symbols ({c.addedSymbols}) and headers ({c.addedHeaders})
        </summary>
        <p className="mt-2 font-mono text-xs leading-relaxed">{r.addedSymbols.map((s) => s.name).join(" ")}</p>
        <p className="mt-2 font-mono text-xs leading-relaxed">{r.addedHeaders.join(" ")}</p>
      </details>
    </div>
  );
}
