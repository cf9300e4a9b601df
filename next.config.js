/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native, WASM or worker-spawning packages are loaded by Node at run time, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-pgvector', 'pg', 'pg-boss', 'nodemailer', 'tsx'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
