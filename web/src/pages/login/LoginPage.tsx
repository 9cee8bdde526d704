import { type FormEvent, useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { Alert, Box, Button, Card, CardContent, TextField, Typography } from "@mui/material";
import { useTranslation } from "react-i18next";
import { useSession } from "../../auth/session";
import { errorText } from "../../components/feedback";

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { user, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { from?: string; expired?: boolean };
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={state.from && state.from !== "/login" ? state.from : "/"} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      navigate(state.from && state.from !== "/login" ? state.from : "/", { replace: true });
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ minHeight: "100vh", display: "grid", placeItems: "center", p: 2, bgcolor: "grey.100" }}>
      <Card sx={{ width: "100%", maxWidth: 400 }}>
        <CardContent component="form" onSubmit={submit} sx={{ display: "grid", gap: 2 }} noValidate>
          <Box sx={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
            <Typography variant="h5" component="h1">{t("login.title")}</Typography>
            <Button size="small" onClick={() => void i18n.changeLanguage(i18n.language === "en" ? "he" : "en")} data-testid="lang-switch">
              {t("app.language")}
            </Button>
          </Box>
          {state.expired && !error && <Alert severity="warning" data-testid="session-expired">{t("login.expired")}</Alert>}
          {error && <Alert severity="error" data-testid="login-error">{error}</Alert>}
          <TextField
            label={t("login.email")}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoFocus
            slotProps={{ htmlInput: { "data-testid": "login-email", dir: "ltr" } }}
          />
          <TextField
            label={t("login.password")}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            slotProps={{ htmlInput: { "data-testid": "login-password", dir: "ltr" } }}
          />
          <Button type="submit" variant="contained" size="large" disabled={busy || !email || !password} data-testid="login-submit">
            {t("login.submit")}
          </Button>
        </CardContent>
      </Card>
    </Box>
  );
}
