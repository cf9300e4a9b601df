import Link from 'next/link';

const STEPS = [
  {
    title: 'Upload a few photos of yourself',
    body: 'One to five clear photos of your own face. They are encrypted, used only to search, and deleted when your request is done.',
  },
  {
    title: 'See where your face is',
    body: 'We search the face training sets that partner companies have registered and show you cropped faces that look like you. You confirm which are you.',
  },
  {
    title: 'Get them removed from the models',
    body: "Each partner's face-recognition model is updated with certified removal: it ends up almost exactly as if it had never seen your photos.",
  },
  { title: 'Keep the proof', body: 'You receive a signed removal certificate that anyone can verify, without having to trust us.' },
];

const AUDIENCES = [
  { title: 'People', body: 'Exercise your right to be forgotten where it is hardest: inside trained models.' },
  { title: 'Partner companies', body: 'Register training sets and models; receive signed webhooks and certified new model versions.' },
  { title: 'Compliance officers', body: 'Download and verify certificates, and export a tamper-evident audit trail.' },
];

export default async function LandingPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const { deleted } = await searchParams;
  return (
    <div className="space-y-12">
      {deleted && (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          Your account is deleted, with your reference photos and the data describing your face.
        </p>
      )}
      <section className="space-y-5">
        <h1 className="text-4xl font-bold tracking-tight">Have your face removed from face-recognition models.</h1>
        <p className="max-w-2xl text-lg text-gray-700">
          forgetme finds your photos in the training sets of face-recognition systems, has them removed from the trained models with a mathematical guarantee,
          and gives you a certificate that proves it. Opt-out lists only protect you from future data sets; forgetme reaches the models that already learned
          your face.
        </p>
        <div className="flex gap-3">
          <Link href="/sign-up" className="rounded-md bg-ink px-5 py-2.5 font-medium text-white hover:bg-black">
            Start a removal request
          </Link>
          <Link href="/sign-up?kind=partner" className="rounded-md border border-gray-300 bg-white px-5 py-2.5 font-medium hover:bg-gray-50">
            Register as a partner company
          </Link>
        </div>
      </section>
      <section aria-labelledby="how" className="space-y-4">
        <h2 id="how" className="text-2xl font-semibold">
          How it works
        </h2>
        <ol className="grid gap-4 sm:grid-cols-2">
          {STEPS.map((s, i) => (
            <li key={s.title} className="rounded-lg border border-gray-200 bg-white p-5">
              <p className="text-sm font-semibold text-accent">Step {i + 1}</p>
              <h3 className="mt-1 font-semibold">{s.title}</h3>
              <p className="mt-2 text-sm text-gray-700">{s.body}</p>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="who" className="grid gap-4 sm:grid-cols-3">
        <h2 id="who" className="sr-only">
          Who forgetme serves
        </h2>
        {AUDIENCES.map((a) => (
          <div key={a.title} className="rounded-lg bg-white p-5 ring-1 ring-gray-200">
            <h3 className="font-semibold">{a.title}</h3>
            <p className="mt-2 text-sm text-gray-700">{a.body}</p>
          </div>
        ))}
      </section>
    </div>
  );
}
