/** @type {import('next').NextConfig} */
const nextConfig = {
  // Packages with native or WebAssembly parts, or dynamic requires, are loaded
  // by Node at run time instead of being bundled.
  serverExternalPackages: ["pg", "pg-boss", "pino", "@electric-sql/pglite", "@cloud-copilot/iam-simulate", "pdfkit"],
  typedRoutes: false,
};

export default nextConfig;
