"use client";

import { useState } from "react";
import { tryParseKernelVersion } from "@/lib/domain/kernel-version";

/** The target kernel, typed or picked; says as you type how it is understood, or why it is not. */
export function KernelField({ defaultValue, kernels }: { defaultValue: string; kernels: string[] }) {
  const [value, setValue] = useState(defaultValue);
  const parsed = value.trim() === "" ? null : tryParseKernelVersion(value);
  return (
    <div>
      <label htmlFor="kernel" className="block text-sm font-medium">
        Kernel you are about to install
      </label>
      <input
        id="kernel"
        name="kernel"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        list="known-kernels"
        required
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. 6.12.107+deb12-amd64 (as uname -r will print it)"
        aria-describedby="kernel-parsed"
        className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm"
      />
      <datalist id="known-kernels">
        {kernels.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <p id="kernel-parsed" aria-live="polite" className={`mt-1 text-xs ${parsed && !parsed.ok ? "text-red-800" : "text-slate-500"}`}>
        {parsed === null
          ? "Type it or pick a known kernel."
          : parsed.ok
            ? `${parsed.value.distro} kernel, upstream ${parsed.value.base} (series ${parsed.value.series})` +
              (parsed.value.distroRelease ? `, revision ${parsed.value.distroRelease}` : "") +
              (parsed.value.flavour ? `, flavour ${parsed.value.flavour}` : "")
            : `✗ ${parsed.error}`}
      </p>
    </div>
  );
}
