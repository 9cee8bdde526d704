/** Lead mutations shared by the desktop table and the mobile cards. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { deleteLead } from "../../api/leads";
import { callLead } from "../../api/calls";
import type { Lead } from "../../api/types";
import { errorText, useFeedback } from "../../components/feedback";

export function useLeadActions() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fb = useFeedback();

  const remove = useMutation({
    mutationFn: (lead: Lead) => deleteLead(lead.id),
    onSuccess: () => fb.success(t("leads.deleted")),
    onError: (e) => fb.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["leads"] }),
  });

  const call = useMutation({
    mutationFn: (lead: Lead) => callLead(lead.id),
    onSuccess: () => {
      fb.success(t("leads.callStarted"));
      void qc.invalidateQueries({ queryKey: ["calls"] });
    },
    onError: (e) => fb.error(errorText(t, e)),
  });

  /**
   * Asks first, then calls the same DELETE /api/leads/:id on every layout.
   * Resolves true when the lead was deleted.
   */
  const confirmDelete = async (lead: Lead): Promise<boolean> => {
    const ok = await fb.confirm({
      message: t("leads.deleteConfirm", { name: lead.name }),
      confirmLabel: t("common.delete"),
      danger: true,
    });
    if (!ok) return false;
    try {
      await remove.mutateAsync(lead);
      return true;
    } catch {
      return false;
    }
  };

  return { confirmDelete, deleting: remove.isPending, call: call.mutate, calling: call.isPending };
}
