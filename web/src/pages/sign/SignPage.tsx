/** Public signing page /sign/:token: no login, mobile first, drawn signature. */
import { useRef, useState } from "react";
import { useParams } from "react-router";
import {
  Alert, Box, Button, Card, CardContent, Container, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography,
} from "@mui/material";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { declineSigning, getSigning, submitSignature } from "../../api/offers";
import { errorText } from "../../components/feedback";
import { DEFAULT_TZ, formatDateTime } from "../../lib/dates";
import { formatAgorot } from "../../lib/money";
import { SignaturePadField, type SignatureHandle } from "./SignaturePadField";

export default function SignPage() {
  const { token = "" } = useParams();
  const { t, i18n } = useTranslation();
  const pad = useRef<SignatureHandle>(null);
  const [name, setName] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const q = useQuery({ queryKey: ["signing", token], queryFn: () => getSigning(token), retry: false });
  const sign = useMutation({ mutationFn: (png: string) => submitSignature(token, name.trim(), png) });
  const decline = useMutation({ mutationFn: () => declineSigning(token) });
  const lang = i18n.language;

  const submit = () => {
    if (!name.trim()) return setLocalError(t("errors.invalid_signer_name"));
    if (!pad.current || pad.current.isEmpty()) return setLocalError(t("sign.needSignature"));
    setLocalError(null);
    sign.mutate(pad.current.toPng());
  };

  let body: React.ReactNode;
  if (q.isLoading) body = null;
  else if (q.isError) body = <Alert severity="error" data-testid="sign-error">{errorText(t, q.error)}</Alert>;
  else if (sign.isSuccess) body = <Alert severity="success" data-testid="sign-done">{t("sign.signed")}</Alert>;
  else if (decline.isSuccess) body = <Alert severity="info" data-testid="sign-declined">{t("sign.declined")}</Alert>;
  else if (q.data) {
    const { offer, business, expires_at } = q.data;
    body = (
      <Stack spacing={2}>
        <Box>
          <Typography variant="h5" component="h1">{offer.title}</Typography>
          <Typography color="text.secondary">{t("sign.from", { business: business.name })} · {offer.customer_name}</Typography>
          <Typography variant="caption">{t("sign.expires", { date: formatDateTime(expires_at, DEFAULT_TZ, lang) })}</Typography>
        </Box>
        <Box sx={{ overflowX: "auto" }}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{t("offers.description")}</TableCell>
                <TableCell>{t("offers.quantity")}</TableCell>
                <TableCell>{t("offers.unitPrice")}</TableCell>
                <TableCell>{t("offers.total")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {offer.items.map((it) => (
                <TableRow key={it.position}>
                  <TableCell>{it.description}</TableCell>
                  <TableCell>{it.quantity}</TableCell>
                  <TableCell>{formatAgorot(it.unit_price_agorot, lang)}</TableCell>
                  <TableCell>{formatAgorot(it.total_agorot, lang)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
        <Typography>{t("offers.subtotal")}: {formatAgorot(offer.subtotal_agorot, lang)} · {t("offers.vat")}: {formatAgorot(offer.vat_agorot, lang)}</Typography>
        <Typography variant="h6" data-testid="sign-total">{t("offers.total")}: {formatAgorot(offer.total_agorot, lang)}</Typography>
        {offer.notes && <Typography sx={{ whiteSpace: "pre-wrap" }}>{offer.notes}</Typography>}
        <TextField label={t("sign.yourName")} value={name} onChange={(e) => setName(e.target.value)} required slotProps={{ htmlInput: { maxLength: 200, "data-testid": "sign-name" } }} />
        <Typography variant="body2">{t("sign.drawHere")}</Typography>
        <SignaturePadField ref={pad} label={t("sign.drawHere")} onBegin={() => setLocalError(null)} />
        {(localError || sign.isError || decline.isError) && (
          <Alert severity="error" data-testid="sign-submit-error">{localError ?? errorText(t, sign.error ?? decline.error)}</Alert>
        )}
        <Stack direction="row" spacing={1}>
          <Button variant="contained" size="large" onClick={submit} disabled={sign.isPending} data-testid="sign-submit">{t("sign.submit")}</Button>
          <Button onClick={() => pad.current?.clear()} data-testid="sign-clear">{t("sign.clear")}</Button>
          <Box sx={{ flex: 1 }} />
          <Button color="error" onClick={() => decline.mutate()} disabled={decline.isPending} data-testid="sign-decline">{t("sign.decline")}</Button>
        </Stack>
      </Stack>
    );
  }
  return (
    <Container maxWidth="sm" sx={{ py: 2 }} data-testid="sign-page">
      <Card>
        <CardContent>
          <Stack direction="row" sx={{ justifyContent: "space-between", mb: 1 }}>
            <Typography variant="overline">{t("sign.title")}</Typography>
            <Button size="small" onClick={() => void i18n.changeLanguage(lang === "en" ? "he" : "en")} data-testid="lang-switch">{t("app.language")}</Button>
          </Stack>
          {body}
        </CardContent>
      </Card>
    </Container>
  );
}
