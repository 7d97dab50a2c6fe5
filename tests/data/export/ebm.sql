SELECT
  "id",
  1.0 / (1.0 + EXP(-score_0)) AS "proba_>50K"
FROM (
  SELECT
    "id",
    (-1.4707796303294827)
      + CASE WHEN "age" IS NULL THEN 0.0 WHEN "age" < 28.5 THEN -0.740270131416041 WHEN "age" < 37.5 THEN -0.07377982804891613 WHEN "age" < 47.5 THEN 0.30595795841512063 ELSE 0.5827457216750522 END
      + CASE WHEN "workclass" IS NULL THEN -0.07040612092999743 WHEN "workclass" IN ('Federal-gov') THEN 0.17618954338498571 WHEN "workclass" IN ('Local-gov') THEN 0.10813068512177844 WHEN "workclass" IN ('Private') THEN -0.05208909768370468 WHEN "workclass" IN ('Self-emp-inc') THEN 0.12322443644380421 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.16370761973351985 WHEN "workclass" IN ('State-gov') THEN 0.2563672193949716 ELSE 0.0 END
      + CASE WHEN "education-num" IS NULL THEN 0.0 WHEN "education-num" < 9.5 THEN -0.496007781329781 WHEN "education-num" < 10.5 THEN -0.14264890550544473 WHEN "education-num" < 13.5 THEN 0.5583038046195191 ELSE 1.1312038977843593 END
      + CASE WHEN "hours-per-week" IS NULL THEN 0.0 WHEN "hours-per-week" < 40.5 THEN -0.12491328075995395 WHEN "hours-per-week" < 42.5 THEN 0.07317231587218805 ELSE 0.3677816558480131 END
      + CASE WHEN "capital-gain" IS NULL THEN 0.0 WHEN "capital-gain" < 527.5 THEN -0.11127451810312444 ELSE 1.279656958185931 END
      + CASE WHEN "age" IS NULL THEN CASE WHEN "workclass" IS NULL THEN 0.0 WHEN "workclass" IN ('Federal-gov') THEN 0.0 WHEN "workclass" IN ('Local-gov') THEN 0.0 WHEN "workclass" IN ('Private') THEN 0.0 WHEN "workclass" IN ('Self-emp-inc') THEN 0.0 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.0 WHEN "workclass" IN ('State-gov') THEN 0.0 ELSE 0.0 END WHEN "age" < 37.5 THEN CASE WHEN "workclass" IS NULL THEN -1.1597516719365932 WHEN "workclass" IN ('Federal-gov') THEN -0.18383785767356425 WHEN "workclass" IN ('Local-gov') THEN -0.19205342410618848 WHEN "workclass" IN ('Private') THEN -0.17459668853560145 WHEN "workclass" IN ('Self-emp-inc') THEN 0.22177217672977884 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.8814325709745898 WHEN "workclass" IN ('State-gov') THEN 1.4139282901029993 ELSE 0.0 END ELSE CASE WHEN "workclass" IS NULL THEN 0.2221451070978253 WHEN "workclass" IN ('Federal-gov') THEN 0.5451208224423636 WHEN "workclass" IN ('Local-gov') THEN 0.3762616995887172 WHEN "workclass" IN ('Private') THEN 0.16661356940459593 WHEN "workclass" IN ('Self-emp-inc') THEN 0.10845973314316443 WHEN "workclass" IN ('Self-emp-not-inc') THEN -0.3061435608273383 WHEN "workclass" IN ('State-gov') THEN -0.2653627582023886 ELSE 0.0 END END AS score_0
  FROM "adult"
) AS scored;
