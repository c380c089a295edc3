/** A page of the company website, tracked by Munchkin; some carry a Marketo form. */
export interface WebPage {
  id: number;
  path: string;
  title: string;
  weight: number;
  form?: { id: number; name: string };
}
/** The tracked pages, weighted by traffic; ids are Marketo's primary attribute value ids. */
// biome-ignore format: data table
export const WEB_PAGES: readonly WebPage[] = [
  { id: 1101, path: '/', title: 'Acme Analytics | Analytics for B2B revenue teams', weight: 20 },
  { id: 1102, path: '/product', title: 'Product | Acme Analytics', weight: 12 },
  { id: 1103, path: '/pricing', title: 'Pricing | Acme Analytics', weight: 8 },
  { id: 1104, path: '/customers', title: 'Customers | Acme Analytics', weight: 5 },
  { id: 1105, path: '/integrations', title: 'Integrations | Acme Analytics', weight: 5 },
  { id: 1106, path: '/blog/revenue-analytics-playbook', title: 'The revenue analytics playbook', weight: 8 },
  { id: 1107, path: '/blog/product-usage-scoring', title: 'Scoring accounts with product usage', weight: 6 },
  { id: 1108, path: '/docs/getting-started', title: 'Getting started | Acme Docs', weight: 6 },
  { id: 1109, path: '/demo', title: 'Request a demo | Acme Analytics', weight: 4, form: { id: 1011, name: 'Demo Request' } },
  { id: 1110, path: '/contact', title: 'Contact us | Acme Analytics', weight: 2, form: { id: 1012, name: 'Contact Us' } },
  { id: 1111, path: '/resources/b2b-data-benchmark', title: 'B2B data benchmark report', weight: 4, form: { id: 1013, name: 'Content Download - Benchmark Report' } },
  { id: 1112, path: '/webinars', title: 'Webinars | Acme Analytics', weight: 3, form: { id: 1014, name: 'Webinar Registration' } },
  { id: 1113, path: '/security', title: 'Security | Acme Analytics', weight: 2 },
];
/** Host of the company website (`.example` is reserved for documentation). */
export const SITE = 'acme.example';
/** Referrers of first page views, repeated by frequency; empty for direct traffic. */
// biome-ignore format: data table
export const REFERRERS = ['https://www.google.com/', 'https://www.google.com/', 'https://www.linkedin.com/', 'https://www.bing.com/', ''];
/** Links tracked by Click Link activities. */
export const SITE_LINKS = [
  { id: 1201, url: 'https://app.acme.example/signup' },
  { id: 1202, url: 'https://acme.example/docs/api' },
  { id: 1203, url: 'https://acme.example/pricing#enterprise' },
];

/** The page at `pathName`; throws on a typo rather than producing events for a page that does not exist. */
export function page(pathName: string): WebPage {
  const found = WEB_PAGES.find((p) => p.path === pathName);
  if (!found) throw new Error(`unknown page ${pathName}`);
  return found;
}
