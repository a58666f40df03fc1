"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="rounded border border-red-200 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-900">Something went wrong</h1>
      <p className="mt-1 text-sm text-red-800">{error.digest ? `Error reference ${error.digest}; the server log has the details.` : error.message}</p>
      <button onClick={reset} className="mt-3 rounded bg-red-700 px-3 py-1 text-sm text-white">
        Try again
      </button>
    </div>
  );
}
