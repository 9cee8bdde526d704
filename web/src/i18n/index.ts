import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import he from "./he.json";
import en from "./en.json";

export type Lang = "he" | "en";
const KEY = "prosaas.lang";

function initialLang(): Lang {
  try {
    return localStorage.getItem(KEY) === "en" ? "en" : "he";
  } catch {
    return "he";
  }
}

/** Hebrew is the default; the choice is remembered per browser. */
export function applyDocumentLang(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "he" ? "rtl" : "ltr";
}

void i18n.use(initReactI18next).init({
  resources: { he: { translation: he }, en: { translation: en } },
  lng: initialLang(),
  fallbackLng: "he",
  interpolation: { escapeValue: false },
});
applyDocumentLang(i18n.language as Lang);

i18n.on("languageChanged", (lng) => {
  const lang: Lang = lng === "en" ? "en" : "he";
  applyDocumentLang(lang);
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* private mode: not remembered */
  }
});

export default i18n;
