"""Reports: KPIs (考核指标), the supervisor dashboard, the monthly service summary, appraisal and exports."""
