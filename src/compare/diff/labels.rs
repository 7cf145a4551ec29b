//! The words of the reports for people, in Chinese (the default) or English.

use super::*;

/// The language of what people read: reports, pages and their labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Reads `zh` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" | "cn" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The one of two texts in this language.
    pub fn pick<'s>(self, zh: &'s str, en: &'s str) -> &'s str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The HTML `lang` value.
    pub fn html(self) -> &'static str {
        self.pick("zh-CN", "en")
    }

    /// `3 tasks` / `1 task` in English, `3 个任务` in Chinese.
    pub fn count(self, n: usize, zh: &str, one: &str, many: &str) -> String {
        match self {
            Lang::Zh => format!("{n} {zh}"),
            Lang::En => format!("{n} {}", if n == 1 { one } else { many }),
        }
    }

    /// A role: 牵头 / lead, 配合 / participant.
    pub fn role(self, role: Role) -> &'static str {
        match role {
            Role::Lead => self.pick("牵头", "lead"),
            Role::Participant => self.pick("配合", "participant"),
        }
    }

    /// A target kind.
    pub fn kind(self, kind: TargetKind) -> &'static str {
        match kind {
            TargetKind::Level => self.pick("达到", "level"),
            TargetKind::Increase => self.pick("提高", "increase"),
            TargetKind::Decrease => self.pick("下降", "decrease"),
            TargetKind::New => self.pick("新增", "new"),
        }
    }

    /// A target bound.
    pub fn bound(self, bound: Bound) -> &'static str {
        match bound {
            Bound::Exact => self.pick("确数", "exact"),
            Bound::Approx => self.pick("左右", "approx"),
            Bound::AtLeast => self.pick("以上", "at_least"),
            Bound::AtMost => self.pick("以下", "at_most"),
        }
    }

    /// A kind of change: `task-added` in English, `新增任务` in Chinese.
    pub fn change_kind(self, kind: ChangeKind) -> &'static str {
        let (zh, en) = match kind {
            ChangeKind::MetaChanged => ("元数据改动", "meta-changed"),
            ChangeKind::TaskAdded => ("新增任务", "task-added"),
            ChangeKind::TaskRemoved => ("删除任务", "task-removed"),
            ChangeKind::TaskMoved => ("移动任务", "task-moved"),
            ChangeKind::TaskRenumbered => ("重新编号", "task-renumbered"),
            ChangeKind::TaskChanged => ("任务改动", "task-changed"),
            ChangeKind::AttributionAdded => ("新增部门", "attribution-added"),
            ChangeKind::AttributionRemoved => ("删除部门", "attribution-removed"),
            ChangeKind::RoleChanged => ("角色改动", "role-changed"),
            ChangeKind::TargetAdded => ("新增目标", "target-added"),
            ChangeKind::TargetRemoved => ("删除目标", "target-removed"),
            ChangeKind::TargetChanged => ("目标改动", "target-changed"),
            ChangeKind::DepartmentAdded => ("部门索引新增", "department-added"),
            ChangeKind::DepartmentRemoved => ("部门索引删除", "department-removed"),
        };
        self.pick(zh, en)
    }

    /// A metadata field's name.
    pub fn meta_field(self, name: &str) -> String {
        let zh = match name {
            "title" => "标题",
            "notice_title" => "通知标题",
            "doc_number" => "文号",
            "published" => "发布日期",
            "date" => "成文日期",
            "publicity" => "公开方式",
            "issuers" => "发文机关",
            "recipients" => "主送机关",
            other => other,
        };
        self.pick(zh, name).to_string()
    }
}
