/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The dev server proxies the API so the SPA runs same-origin like behind nginx.
// API_URL / WHATSAPP_URL point at locally running services (defaults: their default ports).
const api = process.env.API_URL ?? "http://127.0.0.1:5000";
const whatsapp = process.env.WHATSAPP_URL ?? "http://127.0.0.1:5002";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api/whatsapp": { target: whatsapp, changeOrigin: false },
      "/api": { target: api, changeOrigin: false },
    },
  },
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    css: false,
  },
});
