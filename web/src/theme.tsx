/**
 * MUI theme + emotion cache per direction: Hebrew renders right-to-left through
 * stylis-plugin-rtl (MUI's documented RTL setup), English left-to-right.
 */
import { type ReactNode, useMemo } from "react";
import { CacheProvider } from "@emotion/react";
import createCache from "@emotion/cache";
import { prefixer } from "stylis";
import rtlPlugin from "stylis-plugin-rtl";
import { CssBaseline, ThemeProvider, createTheme } from "@mui/material";
import { heIL, enUS } from "@mui/material/locale";
import { useTranslation } from "react-i18next";

const rtlCache = createCache({ key: "muirtl", stylisPlugins: [prefixer, rtlPlugin] });
const ltrCache = createCache({ key: "muiltr", stylisPlugins: [prefixer] });

export function AppTheme({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const rtl = i18n.language !== "en";
  const theme = useMemo(
    () =>
      createTheme(
        {
          direction: rtl ? "rtl" : "ltr",
          palette: { primary: { main: "#1565c0" }, secondary: { main: "#00897b" } },
          typography: { fontFamily: '"Rubik", "Segoe UI", "Arial", sans-serif' },
          shape: { borderRadius: 10 },
        },
        rtl ? heIL : enUS,
      ),
    [rtl],
  );
  return (
    <CacheProvider value={rtl ? rtlCache : ltrCache}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        {children}
      </ThemeProvider>
    </CacheProvider>
  );
}
