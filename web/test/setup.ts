import "@testing-library/jest-dom/vitest";
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/react";

afterEach(() => cleanup());
import { configure } from "@testing-library/react";

// Pages are lazy chunks; the first import in a run takes longer than the 1 s default.
configure({ asyncUtilTimeout: 5000 });
