"use client";

/**
 * The provenance lists of a data source (its module packages and kernel header packages). A client
 * component so the page's RSC payload carries the lines as short strings instead of one element
 * per line: the data-source note is on the landing and every module page, and its lists were
 * most of a module page's markup (issue 11). The HTML is the same as when the server rendered it.
 */
export function ProvenanceLists({ packages, headers }: { packages: readonly (readonly [line: string, origin: string])[]; headers: readonly string[] }) {
  return (
    <div className="mt-1 grid gap-2 md:grid-cols-2">
      <ul className="font-mono">
        {packages.map(([line, origin]) => (
          <li key={line}>
            {`${line} `}
            <span className="text-slate-400">{`(${origin})`}</span>
          </li>
        ))}
      </ul>
      <ul className="font-mono">
        {headers.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
