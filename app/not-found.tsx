import { AppLink } from "@/app/components/AppLink";

export default function NotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">There is no such module, kernel or page here.</p>
      <AppLink href="/" className="mt-4 inline-block text-emerald-700 underline">
        Back to the modules
      </AppLink>
    </div>
  );
}
