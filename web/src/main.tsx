import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import { App } from "./App";
import { Providers, makeQueryClient } from "./providers";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Providers client={makeQueryClient()}>
        <App />
      </Providers>
    </StrictMode>,
  );
}
