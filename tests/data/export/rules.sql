SELECT
  "id",
  CASE
    WHEN ("education-num" > 14.5 OR "education-num" IS NULL) THEN 1.0
    WHEN "capital-gain" <= 5095.5 THEN 0.1778975741239892
    ELSE 0.9473684210526315
  END AS "proba_>50K"
FROM "adult";
