'use client';

import dynamic from 'next/dynamic';
import '@scalar/api-reference-react/style.css';

// Scalar's reference is a Vue application behind a React wrapper that is documented as client-only
// (untested in server rendering): loaded in the browser alone, hence the dynamic import.
const ApiReferenceReact = dynamic(() => import('@scalar/api-reference-react').then((m) => m.ApiReferenceReact), {
  ssr: false,
  loading: () => <p className="text-gray-600">Loading the API reference…</p>,
});

/**
 * The OpenAPI document rendered by Scalar (@scalar/api-reference-react): operations, schemas, request
 * and response examples and code snippets (curl among them) generated from the document itself.
 * Nothing leaves forgetme: no telemetry, no web fonts, and no in-browser test client (it would
 * send requests, and API keys, through a proxy).
 */
export function ApiReference({ document }: { document: Record<string, unknown> }) {
  return (
    <div data-testid="api-reference" className="overflow-hidden rounded-lg ring-1 ring-gray-200">
      <ApiReferenceReact
        configuration={{
          content: document,
          telemetry: false,
          withDefaultFonts: false,
          hideClientButton: true,
          hideTestRequestButton: true,
          hideDarkModeToggle: true,
          forceDarkModeState: 'light',
          showSidebar: false,
          showDeveloperTools: 'never',
          hideModels: true,
          layout: 'classic',
          defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
          documentDownloadType: 'json',
          // Three fixes for WCAG 2.1 AA (axe-core and the focus walk, e2e/accessibility.ts): Scalar's muted grey
          // (#8e8e8e, 3.2:1 on its background) darkened to #5c5c5c, 6.5:1; the tag headings' "Copy link" buttons hidden (they
          // sit inside the heading's disclosure button, a control nested in a control); and our focus ring on every
          // control (its download button drew none).
          customCss:
            '.light-mode { --scalar-color-3: #5c5c5c; } .section-accordion-button .anchor-copy-button { display: none; } ' +
            '[data-testid=api-reference] :focus-visible { outline: 3px solid #1f5fd1 !important; outline-offset: 2px; }',
        }}
      />
    </div>
  );
}
