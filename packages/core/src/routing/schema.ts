import * as z from "zod";
import { d, checkProvenance, IdSchema, provenanceShape, TextSchema } from "../vocabulary/index.js";

/** The keys a routing table's row result may have. */
export const ROUTE_RESULT_KEYS = ["platform", "lead", "cooperating", "coordinate"] as const;

/**
 * The schema of a pack's `routing`: the platforms (e.g. the four platforms 综合治理 /
 * 综合监督 / 综合执法 / 便民服务), the departments on them, the decision table that routes an item,
 * the coordinator that leads multi-department items, first-receiver responsibility and automatic
 * dispatch.
 */
export const PlatformSchema = z
  .strictObject({ id: IdSchema, label: TextSchema, description: TextSchema.optional(), ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "Platform", ...d("功能平台（如 综合治理平台）", "A functional platform (e.g. the comprehensive-governance platform)") });

export const DepartmentSchema = z
  .strictObject({ id: IdSchema, label: TextSchema, platform: IdSchema.meta(d("所在平台", "The platform it works on")), ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "Department", ...d("部门或派驻机构", "A department or stationed agency") });

const BodyRefSchema = z
  .strictObject({ id: IdSchema, label: TextSchema, ...provenanceShape })
  .superRefine(checkProvenance);

export const RoutingSchema = z
  .strictObject({
    label: TextSchema.optional(),
    platforms: z.array(PlatformSchema).min(1).max(20),
    departments: z.array(DepartmentSchema).max(200).default([]),
    table: IdSchema.meta(
      d(
        "分流用的决策表（tables 中的标识）；行的 result 可含 platform（平台）、lead（牵头部门）、cooperating（配合部门列表）、coordinate（true：由 coordinator 统筹协调；或 coordinators 中某机构的标识）",
        "The decision table that routes an item (an id in tables); a row's result may hold platform, lead (the lead department), cooperating (a list of departments) and coordinate (true: the coordinator coordinates; or the id of one of the coordinators)",
      ),
    ),
    coordinator: BodyRefSchema.meta(d("涉及多个部门或须统筹的事项由其牵头协调（如 综合指挥中心、乡镇（街道））", "Leads items that involve several departments or need coordination (e.g. the command centre, the township)")),
    coordinators: z.array(BodyRefSchema).max(10).optional().meta(d("其他可统筹协调的机构；行的 coordinate 写其标识即由其牵头（如重大疑难事项由区综合指挥中心统一调配）", "Other bodies that may coordinate; a row whose coordinate names one gives it the lead (e.g. major items go to the district command centre)")),
    firstReceiver: z
      .strictObject({ label: TextSchema, ...provenanceShape })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("首问责任制：受理人（intake 的 by）对事项流转负责到底，退回的事项回到其手中重新分流", "First-receiver responsibility: whoever took the item in (intake's by) stays responsible for it; a returned item comes back to them to be dispatched again")),
    oversight: z
      .strictObject({
        by: IdSchema.meta(d("负责配合和监督的机构：coordinator 或 coordinators 中的标识（如 乡（街道）指挥室）", "The body that cooperates and supervises: the id of the coordinator or one of the coordinators (e.g. the township command room)")),
        role: TextSchema.meta(d("其职责的叫法，如“配合和监督”", "What its part is called, e.g. 配合和监督")),
        platforms: z.array(IdSchema).min(1).max(20).optional().meta(d("只适用于分流到这些平台的事项（如执法监管问题）；不写则适用于一切由一个部门牵头的事项", "Only items routed to these platforms (e.g. enforcement and supervision problems); all items a single department leads when absent")),
        ...provenanceShape,
      })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("责任主体明确、由一个部门（派驻机构）牵头处置的事项，由此机构负责配合和监督（列入分流结果和责任清单）", "Items a single department (a stationed agency) leads, having a clear owner, are cooperated with and supervised by this body (shown on the route and the responsibility list)")),
    autoDispatch: z
      .strictObject({ ...provenanceShape })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("受理即按分流结果自动派单（交办给牵头部门）", "Dispatch on intake, automatically, to the routed lead department")),
  })
  .meta({ id: "Routing", ...d("分流：由事实决定平台与牵头部门", "Routing: from the facts to a platform and a lead department") });

export type RoutingDef = z.output<typeof RoutingSchema>;
