/** @type {import('next').NextConfig} */
const nextConfig = {
  // Packages with native or WebAssembly parts, or dynamic requires, are loaded
  // by Node at run time instead of being bundled.
  serverExternalPackages: ["pg", "pg-boss", "pino", "@electric-sql/pglite", "@cloud-copilot/iam-simulate", "pdfkit"],
  // Next 16 writes AGENTS.md files into the project on start unless this is off.
  agentRules: false,
  // The floating development badge covers page content in screenshots.
  devIndicators: false,
  experimental: { agentUpgrade: false },
};

export default nextConfig;
